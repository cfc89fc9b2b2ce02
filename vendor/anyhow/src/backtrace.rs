#[cfg(feature = "std")]
pub(crate) use std::backtrace::Backtrace;

#[cfg(not(feature = "std"))]
pub(crate) enum Backtrace {}

#[cfg(all(feature = "std", not(all(target_arch = "wasm32", target_os = "unknown"))))]
macro_rules! backtrace {
    () => {
        Some(std::backtrace::Backtrace::capture())
    };
}

// Job Actions patch (see ../PATCHED.md): on wasm32-unknown-unknown std reads no environment,
// so `capture` always returns a disabled backtrace. Saying so directly keeps std's capture and
// printing machinery (and `rustc_demangle`) out of the wasm.
#[cfg(all(feature = "std", target_arch = "wasm32", target_os = "unknown"))]
macro_rules! backtrace {
    () => {
        Some(std::backtrace::Backtrace::disabled())
    };
}

#[cfg(not(feature = "std"))]
macro_rules! backtrace {
    () => {
        None
    };
}

#[cfg(error_generic_member_access)]
macro_rules! backtrace_if_absent {
    ($err:expr) => {
        match $crate::nightly::request_ref_backtrace($err as &dyn core::error::Error) {
            Some(_) => None,
            None => backtrace!(),
        }
    };
}

#[cfg(all(not(error_generic_member_access), feature = "std"))]
macro_rules! backtrace_if_absent {
    ($err:expr) => {
        backtrace!()
    };
}

#[cfg(all(not(anyhow_no_core_error), not(feature = "std")))]
macro_rules! backtrace_if_absent {
    ($err:expr) => {
        None
    };
}

fn _assert_send_sync() {
    fn assert<T: Send + Sync>() {}
    assert::<Backtrace>();
}
