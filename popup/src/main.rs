//! The toolbar popup (`lib.rs` says what it holds).

fn main() {
    dioxus::launch(popup::components::app::App);
}
