//! A WebDriver client just big enough for `cargo xtask demo --browser firefox`: JSON over
//! HTTP/1.1 on a plain `TcpStream`, one connection per command, to a geckodriver on this
//! machine. Written out (not a crate) so that xtask keeps its dependencies few.

use crate::Result;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

pub struct WebDriver {
    addr: SocketAddr,
}

impl WebDriver {
    pub fn new(addr: SocketAddr) -> WebDriver {
        WebDriver { addr }
    }

    /// Waits until the driver answers `GET /status` with `ready: true`.
    pub fn wait_ready(&self, timeout: Duration) -> Result {
        let deadline = Instant::now() + timeout;
        loop {
            let ready = self
                .exchange("GET", "/status", None, Duration::from_secs(2))
                .is_ok_and(|value| value["ready"] == Value::Bool(true));
            if ready {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "geckodriver did not answer on {} within {} s",
                    self.addr,
                    timeout.as_secs()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sends one command, printed first (`  webdriver: POST /session {…}`), and returns the
    /// answer's `value`. `timeout` bounds the wait for the answer (starting Firefox takes seconds).
    pub fn command(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        timeout: Duration,
    ) -> Result<Value> {
        println!("  {}", describe(method, path, body));
        self.exchange(method, path, body, timeout)
    }

    /// Like [`WebDriver::command`], unprinted: for polling.
    pub fn ask(&self, method: &str, path: &str, timeout: Duration) -> Result<Value> {
        self.exchange(method, path, None, timeout)
    }

    fn exchange(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        timeout: Duration,
    ) -> Result<Value> {
        let failed = |why: String| format!("geckodriver: {method} {path}: {why}");
        let mut stream = TcpStream::connect_timeout(&self.addr, Duration::from_secs(2))
            .map_err(|e| failed(e.to_string()))?;
        stream
            .set_read_timeout(Some(timeout))
            .and_then(|()| stream.set_write_timeout(Some(Duration::from_secs(5))))
            .map_err(|e| failed(e.to_string()))?;
        let host = self.addr.to_string();
        stream
            .write_all(request(method, path, &host, body).as_bytes())
            .map_err(|e| failed(e.to_string()))?;
        let mut answer = Vec::new();
        stream
            .read_to_end(&mut answer)
            .map_err(|e| failed(e.to_string()))?;
        let (status, value) = response(&answer).map_err(failed)?;
        if (200..300).contains(&status) {
            Ok(value["value"].clone())
        } else {
            Err(failed(format!(
                "HTTP {status}: {} ({})",
                value["value"]["error"].as_str().unwrap_or("no error code"),
                value["value"]["message"].as_str().unwrap_or("no message")
            )))
        }
    }
}

/// `METHOD PATH BODY` as a line for the log and for `--dry-run`.
pub fn describe(method: &str, path: &str, body: Option<&Value>) -> String {
    match body {
        Some(body) => format!("webdriver: {method} {path} {body}"),
        None => format!("webdriver: {method} {path}"),
    }
}

/// The HTTP/1.1 request; `Connection: close` so the answer ends where the stream does.
fn request(method: &str, path: &str, host: &str, body: Option<&Value>) -> String {
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    if let Some(body) = body {
        let body = body.to_string();
        text.push_str(&format!(
            "Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ));
    } else {
        text.push_str("\r\n");
    }
    text
}

/// The status code and JSON body (`null` when empty) of a whole HTTP/1.1 answer, with a body
/// either as sent or in chunks.
fn response(answer: &[u8]) -> std::result::Result<(u16, Value), String> {
    let text = String::from_utf8_lossy(answer);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or("the answer has no end of headers")?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| {
            format!(
                "not an HTTP answer: `{}`",
                head.lines().next().unwrap_or("")
            )
        })?;
    let is_chunked = lines.any(|line| {
        line.split_once(':').is_some_and(|(name, value)| {
            name.trim().eq_ignore_ascii_case("transfer-encoding")
                && value.trim().eq_ignore_ascii_case("chunked")
        })
    });
    let body = if is_chunked {
        unchunk(body)?
    } else {
        body.to_string()
    };
    if body.trim().is_empty() {
        return Ok((status, Value::Null));
    }
    let value = serde_json::from_str(&body).map_err(|e| format!("the answer is not JSON: {e}"))?;
    Ok((status, value))
}

/// A chunked body's data: `SIZE(hex)\r\nDATA\r\n` repeated, ending with a size of 0.
fn unchunk(mut body: &str) -> std::result::Result<String, String> {
    let mut data = String::new();
    loop {
        let (size_line, rest) = body.split_once("\r\n").ok_or("a chunk without its size")?;
        let size_text = size_line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| format!("a chunk size that is not hex: `{size_text}`"))?;
        if size == 0 {
            return Ok(data);
        }
        let chunk = rest.get(..size).ok_or("a chunk shorter than its size")?;
        data.push_str(chunk);
        body = rest[size..].strip_prefix("\r\n").unwrap_or(&rest[size..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn requests_carry_a_json_body_only_when_there_is_one() {
        assert_eq!(
            request("GET", "/status", "127.0.0.1:4444", None),
            "GET /status HTTP/1.1\r\nHost: 127.0.0.1:4444\r\nConnection: close\r\n\r\n"
        );
        assert_eq!(
            request(
                "POST",
                "/session/s/url",
                "127.0.0.1:4444",
                Some(&json!({"url": "http://127.0.0.1:8700/jobs"}))
            ),
            "POST /session/s/url HTTP/1.1\r\nHost: 127.0.0.1:4444\r\nConnection: close\r\n\
             Content-Type: application/json; charset=utf-8\r\nContent-Length: 36\r\n\r\n\
             {\"url\":\"http://127.0.0.1:8700/jobs\"}"
        );
    }

    #[track_caller]
    fn check_response(answer: &str, expected: std::result::Result<(u16, Value), String>) {
        assert_eq!(response(answer.as_bytes()), expected);
    }

    #[test]
    fn answers_are_read_as_sent_or_in_chunks() {
        check_response(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 26\r\n\r\n{\"value\":{\"ready\":true}}",
            Ok((200, json!({"value": {"ready": true}}))),
        );
        check_response(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"val\r\n9\r\nue\":null}\r\n0\r\n\r\n",
            Ok((200, json!({"value": null}))),
        );
        check_response(
            "HTTP/1.1 404 Not Found\r\ncontent-length: 64\r\n\r\n{\"value\":{\"error\":\"invalid session id\",\"message\":\"\",\"stacktrace\":\"\"}}",
            Ok((404, json!({"value": {"error": "invalid session id", "message": "", "stacktrace": ""}}))),
        );
        check_response("HTTP/1.1 200 OK\r\n\r\n", Ok((200, Value::Null)));
        check_response("garbage", Err("the answer has no end of headers".into()));
        check_response(
            "SSH-2.0-OpenSSH\r\n\r\n",
            Err("not an HTTP answer: `SSH-2.0-OpenSSH`".into()),
        );
    }

    #[test]
    fn commands_are_logged_with_their_body() {
        assert_eq!(
            describe("POST", "/session", Some(&json!({"capabilities": {}}))),
            "webdriver: POST /session {\"capabilities\":{}}"
        );
        assert_eq!(
            describe("DELETE", "/session/s", None),
            "webdriver: DELETE /session/s"
        );
    }
}
