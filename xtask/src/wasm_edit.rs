//! Edits of built wasm modules and their glue that no tool here makes:
//! - dropping a custom section (the wasm2js build's `target_features` marker);
//! - shortening wasm-bindgen's import names. Each import the glue provides is named after its
//!   function plus a 16-hex-digit hash (`__wbg_appendChild_dbf7ad2f48413560`), once in the
//!   module's import section and once or twice in the glue: random digits that gzip cannot
//!   compress, 2–4 KB of every content build. They are renamed `__wbg_0`, `__wbg_1`, … in both,
//!   consistently; nothing else changes. Likewise the exported closure shims, named after their
//!   crate's hash and whole signature (up to 250 characters each; 0.3–0.4 KiB gzip of each
//!   content build);
//! - in wasm2js output, the data segments as byte strings rather than base64: base64 hides the
//!   bytes' repetitions from gzip (2.5 KiB of the page-wide fallback).

use crate::Result;

const HEADER: usize = 8;

fn check_header(module: &[u8]) -> Result {
    if module.len() < HEADER || &module[..4] != b"\0asm" {
        return Err("not a WebAssembly module".into());
    }
    Ok(())
}

/// An unsigned LEB128 at `at`: its value and where the next byte is.
fn read_leb(bytes: &[u8], mut at: usize) -> Result<(usize, usize)> {
    let (mut value, mut shift) = (0usize, 0);
    loop {
        let byte = *bytes.get(at).ok_or("truncated LEB128 in a wasm module")?;
        if shift > 63 {
            return Err("an over-long LEB128 in a wasm module".into());
        }
        value |= usize::from(byte & 0x7F) << shift;
        at += 1;
        if byte & 0x80 == 0 {
            return Ok((value, at));
        }
        shift += 7;
    }
}

fn write_leb(out: &mut Vec<u8>, mut value: usize) {
    loop {
        let byte = (value & 0x7F) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A section of a module: its id, its whole bytes (id and size included), and its body.
type Section<'a> = (u8, &'a [u8], &'a [u8]);

/// Each section of `module`, in order.
fn sections(module: &[u8]) -> Result<Vec<Section<'_>>> {
    check_header(module)?;
    let mut out = Vec::new();
    let mut at = HEADER;
    while at < module.len() {
        let id = module[at];
        let (size, body_start) = read_leb(module, at + 1)?;
        let end = body_start + size;
        let whole = module
            .get(at..end)
            .ok_or("a section runs past the end of the module")?;
        out.push((id, whole, &module[body_start..end]));
        at = end;
    }
    Ok(out)
}

/// The wasm module without the custom section `name` (every other byte unchanged).
pub fn without_custom_section(module: &[u8], name: &str) -> Result<Vec<u8>> {
    let mut out = module[..HEADER.min(module.len())].to_vec();
    for (id, whole, body) in sections(module)? {
        let is_named = id == 0 && {
            let (name_len, name_start) = read_leb(body, 0)?;
            body.get(name_start..name_start + name_len) == Some(name.as_bytes())
        };
        if !is_named {
            out.extend_from_slice(whole);
        }
    }
    Ok(out)
}

/// Whether `name` is one of wasm-bindgen's hashed import names.
fn is_hashed_import(name: &str) -> bool {
    let Some(rest) = name
        .strip_prefix("__wbg_")
        .or_else(|| name.strip_prefix("__wbindgen_"))
    else {
        return false;
    };
    let bytes = rest.as_bytes();
    bytes.len() > 17 && bytes[bytes.len() - 17] == b'_' && is_hash(&bytes[bytes.len() - 16..])
}

/// Whether `bytes` are wasm-bindgen's 16 lower-case hex digits of a hash.
fn is_hash(bytes: &[u8]) -> bool {
    bytes.len() == 16
        && bytes
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
}

/// Whether `name` is one of wasm-bindgen's exported closure shims, named after the crate's hash
/// and the closure's whole signature (`wasm_bindgen_8999ec673cc711d4___convert__closures_____invoke…`,
/// up to 250 characters).
fn is_hashed_export(name: &str) -> bool {
    name.strip_prefix("wasm_bindgen_").is_some_and(|rest| {
        rest.len() > 19 && is_hash(&rest.as_bytes()[..16]) && rest[16..].starts_with("___")
    })
}

/// Old name → new name, in the order the names were first met.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Renames(Vec<(String, String)>);

impl Renames {
    fn short_name_for(&mut self, name: &str) -> String {
        if let Some((_, new)) = self.0.iter().find(|(old, _)| old == name) {
            return new.clone();
        }
        let new = format!("__wbg_{}", self.0.len());
        self.0.push((name.to_string(), new.clone()));
        new
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `text` (JavaScript) with every identifier-like token that is an old name replaced by its
    /// new name. Fails if an old name does not occur at all (the glue and the module disagree),
    /// or if a new name occurred already (it would be ambiguous).
    pub fn apply(&self, text: &str) -> Result<String> {
        self.apply_to_tokens(text, tokens(text))
    }

    /// `apply`, with `text`'s tokens already read.
    fn apply_to_tokens(&self, text: &str, tokens: Vec<(&str, usize)>) -> Result<String> {
        for (old, new) in &self.0 {
            if !tokens.iter().any(|(token, _)| token == old) {
                return Err(format!("the glue never names the import `{old}`"));
            }
            if tokens.iter().any(|(token, _)| token == new) {
                return Err(format!("the glue already has a token `{new}`"));
            }
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (token, at) in tokens {
            if let Some((_, new)) = self.0.iter().find(|(old, _)| old == token) {
                out.push_str(&text[last..at]);
                out.push_str(new);
                last = at + token.len();
            }
        }
        out.push_str(&text[last..]);
        Ok(out)
    }
}

/// The maximal runs of identifier characters (`[A-Za-z0-9_$]`) in `text`, with their offsets.
fn tokens(text: &str) -> Vec<(&str, usize)> {
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if is_ident(bytes[at]) {
            let start = at;
            while at < bytes.len() && is_ident(bytes[at]) {
                at += 1;
            }
            out.push((&text[start..at], start));
        } else {
            at += 1;
        }
    }
    out
}

/// The module with its hashed import and export names shortened, and the renames to apply to
/// its glue.
pub fn shorten_hashed_names(module: &[u8]) -> Result<(Vec<u8>, Renames)> {
    let mut renames = Renames::default();
    let mut out = module[..HEADER.min(module.len())].to_vec();
    for (id, whole, body) in sections(module)? {
        let new_body = match id {
            2 => shorten_import_names(body, &mut renames)?,
            7 => shorten_export_names(body, &mut renames)?,
            _ => {
                out.extend_from_slice(whole);
                continue;
            }
        };
        out.push(id);
        write_leb(&mut out, new_body.len());
        out.extend(new_body);
    }
    Ok((out, renames))
}

/// Copies the name at `at` (its length, then UTF-8) from `body` to `out`, shortened through
/// `renames` when `hashed` says so; returns where the name ended. `what` names it in errors.
fn copy_name(
    body: &[u8],
    at: usize,
    out: &mut Vec<u8>,
    renames: &mut Renames,
    hashed: impl Fn(&str) -> bool,
    what: &str,
) -> Result<usize> {
    let (len, start) = read_leb(body, at)?;
    let name = body
        .get(start..start + len)
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .ok_or_else(|| format!("{what} is not UTF-8 or runs past its section"))?;
    let name = if hashed(name) {
        renames.short_name_for(name)
    } else {
        name.to_string()
    };
    write_leb(out, name.len());
    out.extend_from_slice(name.as_bytes());
    Ok(start + len)
}

/// An import section's body with its hashed import names shortened (`renames` says how); the
/// module names before them are kept.
fn shorten_import_names(body: &[u8], renames: &mut Renames) -> Result<Vec<u8>> {
    let mut new_body = Vec::with_capacity(body.len());
    let (count, mut at) = read_leb(body, 0)?;
    write_leb(&mut new_body, count);
    for _ in 0..count {
        let what = "an import name";
        at = copy_name(body, at, &mut new_body, renames, |_| false, what)?;
        at = copy_name(body, at, &mut new_body, renames, is_hashed_import, what)?;
        let desc_end = import_description_end(body, at)?;
        new_body.extend_from_slice(&body[at..desc_end]);
        at = desc_end;
    }
    if at != body.len() {
        return Err("the import section has bytes after its last import".into());
    }
    Ok(new_body)
}

/// An export section's body with its hashed closure shims' names shortened (`renames` says how).
fn shorten_export_names(body: &[u8], renames: &mut Renames) -> Result<Vec<u8>> {
    let mut new_body = Vec::with_capacity(body.len());
    let (count, mut at) = read_leb(body, 0)?;
    write_leb(&mut new_body, count);
    for _ in 0..count {
        let kind_at = copy_name(
            body,
            at,
            &mut new_body,
            renames,
            is_hashed_export,
            "an export name",
        )?;
        // Its kind (one byte) and its index.
        body.get(kind_at).ok_or("an export without its kind")?;
        let (_, end) = read_leb(body, kind_at + 1)?;
        new_body.extend_from_slice(&body[kind_at..end]);
        at = end;
    }
    if at != body.len() {
        return Err("the export section has bytes after its last export".into());
    }
    Ok(new_body)
}

/// Where the import description starting at `at` ends (function, table, memory, global, tag).
fn import_description_end(body: &[u8], at: usize) -> Result<usize> {
    let limits_end = |at: usize| -> Result<usize> {
        let flags = *body.get(at).ok_or("truncated limits")?;
        let (_, after_min) = read_leb(body, at + 1)?;
        if flags & 1 == 1 {
            Ok(read_leb(body, after_min)?.1)
        } else {
            Ok(after_min)
        }
    };
    match body.get(at) {
        Some(0x00) => Ok(read_leb(body, at + 1)?.1),
        Some(0x01) => match body.get(at + 1) {
            Some(0x70 | 0x6F) => limits_end(at + 2),
            _ => Err("an imported table of a reference type this build does not know".into()),
        },
        Some(0x02) => limits_end(at + 1),
        Some(0x03) => {
            if body.get(at + 2).is_none() {
                return Err("truncated global import".into());
            }
            Ok(at + 3)
        }
        Some(0x04) => Ok(read_leb(body, at + 2)?.1),
        _ => Err("an import of a kind this build does not know".into()),
    }
}

/// JavaScript (a wasm2js bundle, where the module is JavaScript too) with every hashed import
/// and export name shortened, consistently; and how many names were.
pub fn shorten_hashed_names_in_js(text: &str) -> Result<(String, usize)> {
    let tokens = tokens(text);
    let mut renames = Renames::default();
    for (token, _) in &tokens {
        if is_hashed_import(token) || is_hashed_export(token) {
            renames.short_name_for(token);
        }
    }
    let count = renames.len();
    Ok((renames.apply_to_tokens(text, tokens)?, count))
}

/// The call wasm2js writes for each data segment, and its base64 decoder's name.
const BASE64_CALL: &str = "base64DecodeToExistingUint8Array(bufferView, ";
/// What replaces it: the same bytes as a string of char codes 0–255.
const BYTES_CALL: &str = "bytesToExistingUint8Array(bufferView, ";
const BYTES_FUNCTION: &str = "function bytesToExistingUint8Array(uint8Array, offset, bytes) {\n    for (var i = 0; i < bytes.length; i++) uint8Array[offset + i] = bytes.charCodeAt(i);\n  }\n";

/// wasm2js output with its data segments written as byte strings; and how many there were.
/// The new function goes right before the first segment's call, in the same scope.
pub fn data_as_byte_strings(js: &str) -> Result<(String, usize)> {
    let mut out = String::with_capacity(js.len());
    let mut rest = js;
    let mut count = 0;
    while let Some(at) = rest.find(BASE64_CALL) {
        out.push_str(&rest[..at]);
        if count == 0 {
            // Where the call was indented, the function is; the call follows, indented alike.
            out.push_str(BYTES_FUNCTION);
            out.push_str("  ");
        }
        let args = &rest[at + BASE64_CALL.len()..];
        let (offset, literal) = args
            .split_once(", \"")
            .ok_or("a data segment call without its base64 string")?;
        if !offset.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("a data segment at `{offset}`, not a number"));
        }
        let end = literal
            .find("\")")
            .ok_or("a data segment's base64 string does not end")?;
        let bytes = crate::base64::decode(&literal[..end], "a base64 data segment")?;
        out.push_str(BYTES_CALL);
        out.push_str(offset);
        out.push_str(", \"");
        out.push_str(&byte_string(&bytes));
        out.push_str("\")");
        rest = &literal[end + 2..];
        count += 1;
    }
    out.push_str(rest);
    Ok((out, count))
}

/// `bytes` as the inside of a double-quoted JavaScript string whose char codes are the bytes
/// (printable ASCII as itself, everything else escaped; the text stays ASCII).
fn byte_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            0 if !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => out.push_str("\\0"),
            0x20..=0x7E => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(name: &str, payload: &[u8]) -> Vec<u8> {
        let mut body = vec![name.len() as u8];
        body.extend(name.as_bytes());
        body.extend(payload);
        let mut section = vec![0, body.len() as u8];
        section.extend(body);
        section
    }

    #[test]
    fn a_custom_section_is_removed_and_nothing_else() {
        let mut module = b"\0asm\x01\0\0\0".to_vec();
        let type_section = [1u8, 1, 0];
        module.extend(custom("target_features", b"+x"));
        module.extend(type_section);
        module.extend(custom("producers", b"yz"));
        let stripped = without_custom_section(&module, "target_features").unwrap();
        let mut expected = b"\0asm\x01\0\0\0".to_vec();
        expected.extend(type_section);
        expected.extend(custom("producers", b"yz"));
        assert_eq!(stripped, expected);
        assert!(without_custom_section(b"nope", "x").is_err());
        assert!(
            without_custom_section(b"\0asm\x01\0\0\0\x01\x05", "x").is_err(),
            "truncated"
        );
    }

    fn import(module: &str, name: &str, desc: &[u8]) -> Vec<u8> {
        let mut out = vec![module.len() as u8];
        out.extend(module.as_bytes());
        out.push(name.len() as u8);
        out.extend(name.as_bytes());
        out.extend(desc);
        out
    }

    fn module_with_imports(imports: &[Vec<u8>]) -> Vec<u8> {
        let mut body = vec![imports.len() as u8];
        for import in imports {
            body.extend(import);
        }
        let mut module = b"\0asm\x01\0\0\0".to_vec();
        module.extend([1u8, 1, 0]);
        module.push(2);
        write_leb(&mut module, body.len());
        module.extend(body);
        module.extend(custom("producers", b"yz"));
        module
    }

    #[test]
    fn hashed_import_names_are_shortened_in_the_module_and_its_glue_alike() {
        let append = "__wbg_appendChild_dbf7ad2f48413560";
        let throw = "__wbindgen_throw_4c88d8bf264fd984";
        let module = module_with_imports(&[
            import("wbg", append, &[0x00, 0x85, 0x01]),
            import("wbg", "__wbindgen_memory", &[0x02, 0x01, 0x11, 0x80, 0x02]),
            import("wbg", throw, &[0x00, 0x02]),
            import(
                "wbg",
                "__wbindgen_externrefs",
                &[0x01, 0x6F, 0x00, 0x80, 0x01],
            ),
            import("env", "g", &[0x03, 0x7F, 0x01]),
        ]);
        let (short, renames) = shorten_hashed_names(&module).unwrap();
        let expected = module_with_imports(&[
            import("wbg", "__wbg_0", &[0x00, 0x85, 0x01]),
            import("wbg", "__wbindgen_memory", &[0x02, 0x01, 0x11, 0x80, 0x02]),
            import("wbg", "__wbg_1", &[0x00, 0x02]),
            import(
                "wbg",
                "__wbindgen_externrefs",
                &[0x01, 0x6F, 0x00, 0x80, 0x01],
            ),
            import("env", "g", &[0x03, 0x7F, 0x01]),
        ]);
        assert_eq!(short, expected);
        let glue = format!(
            "imports.wbg.{append} = function(a) {{ x.appendChild(a) }};\nimports.wbg.{throw}=t;const s='{append}';"
        );
        assert_eq!(
            renames.apply(&glue).unwrap(),
            "imports.wbg.__wbg_0 = function(a) { x.appendChild(a) };\nimports.wbg.__wbg_1=t;const s='__wbg_0';"
        );
        // Glue that does not match its module is refused rather than half renamed.
        assert!(renames.apply("imports.wbg.other=1").is_err());
        assert!(renames.apply(&format!("{append} {throw} __wbg_0")).is_err());
    }

    #[test]
    fn hashed_export_names_are_shortened_in_the_module_and_its_glue_alike() {
        let shim = "wasm_bindgen_8999ec673cc711d4___convert__closures_____invoke___js_sys_234d8a4c616a6cd5___Array______true_";
        let export = |name: &str, kind: u8, index: &[u8]| {
            let mut out = vec![name.len() as u8];
            out.extend(name.as_bytes());
            out.push(kind);
            out.extend(index);
            out
        };
        let module_with_exports = |exports: &[Vec<u8>]| {
            let mut body = vec![exports.len() as u8];
            for export in exports {
                body.extend(export);
            }
            let mut module = b"\0asm\x01\0\0\0".to_vec();
            module.extend(custom("producers", b"yz"));
            module.push(7);
            module.push(body.len() as u8);
            module.extend(body);
            module
        };
        let module = module_with_exports(&[
            export("memory", 2, &[0]),
            export(shim, 0, &[0x85, 0x01]),
            export("start", 0, &[3]),
        ]);
        let (short, renames) = shorten_hashed_names(&module).unwrap();
        assert_eq!(
            short,
            module_with_exports(&[
                export("memory", 2, &[0]),
                export("__wbg_0", 0, &[0x85, 0x01]),
                export("start", 0, &[3]),
            ])
        );
        assert_eq!(
            renames
                .apply(&format!("wasm.{shim}(a, b); wasm.start();"))
                .unwrap(),
            "wasm.__wbg_0(a, b); wasm.start();"
        );
        // An export whose index runs past its section is refused, not copied half way.
        let truncated = module_with_exports(&[export(shim, 0, &[0x85])]);
        assert!(shorten_hashed_names(&truncated).is_err());
    }

    #[test]
    fn only_wasm_bindgen_closure_shims_count_as_hashed_exports() {
        assert!(is_hashed_export(
            "wasm_bindgen_8999ec673cc711d4___convert__closures_____invoke_______true_"
        ));
        assert!(
            !is_hashed_export("wasm_bindgen_8999ec673cc711d4"),
            "no shim"
        );
        assert!(
            !is_hashed_export("wasm_bindgen_8999EC673CC711D4___x"),
            "upper case"
        );
        assert!(!is_hashed_export("take_over"));
        assert!(!is_hashed_export("__wbindgen_malloc"));
    }

    #[test]
    fn only_wasm_bindgen_hashed_names_count() {
        assert!(is_hashed_import("__wbg_get_2080c49015e35254"));
        assert!(is_hashed_import("__wbindgen_generic_0000000000000001"));
        assert!(!is_hashed_import("__wbindgen_malloc"));
        assert!(
            !is_hashed_import("__wbg_get_2080C49015E35254"),
            "upper case"
        );
        assert!(
            !is_hashed_import("__wbg_get2080c49015e35254"),
            "no underscore"
        );
        assert!(!is_hashed_import("get_2080c49015e35254"));
    }

    #[test]
    fn a_wasm2js_bundle_is_renamed_consistently() {
        let js = "var a={__wbg_get_2080c49015e35254:()=>b,__wbg_set_bcb0ec2400cfa22e:()=>c,wasm_bindgen_8999ec673cc711d4___convert__closures_____invoke_______true_:()=>e};d.__wbg_get_2080c49015e35254(1);f.wasm_bindgen_8999ec673cc711d4___convert__closures_____invoke_______true_(2);";
        let (out, count) = shorten_hashed_names_in_js(js).unwrap();
        assert_eq!(count, 3);
        assert_eq!(
            out,
            "var a={__wbg_0:()=>b,__wbg_1:()=>c,__wbg_2:()=>e};d.__wbg_0(1);f.__wbg_2(2);"
        );
    }

    #[test]
    fn data_segments_become_byte_strings_of_the_same_bytes() {
        // "A\"\\\n\0\x001\xff~" in base64, split over two segments.
        let js = "  var bufferView = new Uint8Array(memory.buffer);\n  base64DecodeToExistingUint8Array(bufferView, 1048576, \"QSJcCgAAMf9+\");\n  base64DecodeToExistingUint8Array(bufferView, 1048600, \"aGk=\");\n  x();";
        let (out, count) = data_as_byte_strings(js).unwrap();
        assert_eq!(count, 2);
        assert_eq!(
            out,
            "  var bufferView = new Uint8Array(memory.buffer);\n  function bytesToExistingUint8Array(uint8Array, offset, bytes) {\n    for (var i = 0; i < bytes.length; i++) uint8Array[offset + i] = bytes.charCodeAt(i);\n  }\n  bytesToExistingUint8Array(bufferView, 1048576, \"A\\\"\\\\\\n\\0\\x001\\xff~\");\n  bytesToExistingUint8Array(bufferView, 1048600, \"hi\");\n  x();"
        );
        assert_eq!(
            crate::base64::decode("QSJcCgAAMf9+", "x").unwrap(),
            b"A\"\\\n\0\x001\xff~"
        );
        assert!(crate::base64::decode("QS*c", "x").is_err());
        assert!(
            data_as_byte_strings("base64DecodeToExistingUint8Array(bufferView, x, \"QQ==\")")
                .is_err()
        );
        assert_eq!(
            data_as_byte_strings("no data").unwrap(),
            ("no data".into(), 0)
        );
    }

    #[test]
    fn an_import_of_unknown_kind_is_an_error() {
        let module = module_with_imports(&[import("wbg", "x", &[0x09])]);
        assert!(shorten_hashed_names(&module).is_err());
    }
}
