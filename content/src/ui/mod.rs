//! Page-wide pieces of the overlay that are not anchored to a host element: the confirmation
//! dialog, toasts, the live region for changes made elsewhere, and the busy screen during a delete.

pub mod announcer;
#[cfg(feature = "actions")]
pub mod bulk_bar;
#[cfg(feature = "actions")]
pub mod bulk_dialog;
#[cfg(feature = "actions")]
pub mod busy;
#[cfg(feature = "actions")]
pub mod dialog;
#[cfg(feature = "actions")]
pub mod guard;
#[cfg(feature = "actions")]
pub mod menu;
pub mod toast;

/// `.said`: text for screen readers only (the live region, the skeleton's "Loading job actions…").
pub const VISUALLY_HIDDEN: &str =
    ".said { position: absolute; width: 1px; height: 1px; margin: -1px; \
padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }";

/// Styles shared by every overlay button.
pub const BUTTON_STYLE: &str = "
button { font: 600 13px/20px system-ui, -apple-system, 'Segoe UI', sans-serif; display: inline-flex;
  align-items: center; gap: 6px; padding: 5px 12px; border-radius: 6px; cursor: pointer;
  border: 1px solid #d0d7de; background: #f6f8fa; color: #1f2328; }
button:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
button[disabled] { cursor: not-allowed; opacity: .65; }
button.warning { background: #fff; color: #9a3412; border-color: #c2410c; }
button.warning:not([disabled]):hover { background: #fff7ed; }
button.destructive { background: #c62828; color: #fff; border-color: #a31d1d; }
button.destructive:not([disabled]):hover { background: #a31d1d; }
button.done { background: #eaeef2; color: #424a53; border-color: #afb8c1; opacity: 1; }
.spinner { width: 12px; height: 12px; border: 2px solid currentColor; border-right-color: transparent;
  border-radius: 50%; animation: spin .8s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .spinner { animation-duration: 2.4s; } }
";
