//! Live status shared by every tab and the popup (issue #9): the messages between the pages and
//! the background (`sync`), who watches what and so what to poll (`subscriptions`), when to poll
//! (`cadence`, `backoff`), who may ask what on each port (`scope`), and the runtime port itself
//! (`port`: the one browser binding in this crate, through the extension API handed in).

pub mod backoff;
pub mod cadence;
pub mod port;
pub mod scope;
pub mod subscriptions;
pub mod sync;
