//! A runtime port to the extension's background, for the content script and the popup alike: the
//! `sync` messages travel over it as JSON text. Dropping the `Port` disconnects it. Browser-only
//! (it compiles everywhere, like `client`).

use crate::live::subscriptions::Subscription;
use crate::live::sync::ToHub;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function port_connect(api, name) { return api.runtime.connect({ name }); }
export function port_listen(port, onMessage, onDisconnect) {
  port.onMessage.addListener((message) => { if (typeof message === 'string') onMessage(message); });
  port.onDisconnect.addListener(() => onDisconnect());
}
export function port_post(port, text) { try { port.postMessage(text); } catch { /* disconnected: reconnecting */ } }
export function port_disconnect(port) { try { port.disconnect(); } catch { /* already gone */ } }
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn port_connect(api: &JsValue, name: &str) -> Result<JsValue, JsValue>;
    fn port_listen(
        port: &JsValue,
        on_message: &Closure<dyn FnMut(String)>,
        on_disconnect: &Closure<dyn FnMut()>,
    );
    fn port_post(port: &JsValue, text: &str);
    fn port_disconnect(port: &JsValue);
}

pub struct Port {
    port: JsValue,
    _on_message: Closure<dyn FnMut(String)>,
    _on_disconnect: Closure<dyn FnMut()>,
}

impl Port {
    /// Connects to the background through `api` (`browser` or `chrome`). `on_disconnect` runs
    /// when the background goes away (not when this side drops the port).
    pub fn connect(
        api: &JsValue,
        name: &str,
        on_message: impl FnMut(String) + 'static,
        on_disconnect: impl FnMut() + 'static,
    ) -> Result<Port, JsValue> {
        let port = port_connect(api, name)?;
        let on_message = Closure::<dyn FnMut(String)>::new(on_message);
        let on_disconnect = Closure::<dyn FnMut()>::new(on_disconnect);
        port_listen(&port, &on_message, &on_disconnect);
        Ok(Port {
            port,
            _on_message: on_message,
            _on_disconnect: on_disconnect,
        })
    }

    pub fn post(&self, text: &str) {
        port_post(&self.port, text);
    }

    /// Says what this side shows: the bearer token for its API base first, if it has one (the
    /// background's client attaches it only under that base), so the first poll carries it, then
    /// the subscription itself.
    pub fn subscribe(&self, subscription: Subscription, token: Option<String>) {
        if let Some(token) = token {
            self.post(
                &ToHub::Token {
                    api_base: subscription.api_base.clone(),
                    token,
                }
                .encode(),
            );
        }
        self.post(&ToHub::Watch(subscription).encode());
    }
}

impl Drop for Port {
    fn drop(&mut self) {
        port_disconnect(&self.port);
    }
}
