//! `cargo xtask dist`: builds the extension into `dist/chrome/` and `dist/firefox/` and zips each
//! for store upload. The content crate is built four times: its page-wide build (without the
//! `actions` feature; every job page loads it) and its actions build (loaded on first use), each
//! as WebAssembly and as wasm2js for pages whose CSP forbids WebAssembly. The popup crate is
//! built once, into its two programs (the popup and the site-profiles options page), and the
//! background once.

use crate::process::{step, Cmd};
use crate::toolchain::WasmToolchain;
use crate::wasm_edit;
use crate::workspace::{files_with_extensions, root};
use crate::Result;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The Firefox add-on id (`browser_specific_settings.gecko.id`).
pub const GECKO_ID: &str = "job-actions@job-actions.dev";
/// Features of current rustc wasm output that wasm-opt must be told about.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
    "--enable-multivalue",
    "--enable-mutable-globals",
];
/// The wasm2js build has no reference types or multivalue (wasm2js supports neither).
const WASM2JS_FEATURES: [&str; 5] = [
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
];

pub fn dist_dir() -> PathBuf {
    root().join("dist")
}

/// Where the shared build output (`content/`, `popup/`, `options/`) is assembled before it is
/// copied per browser.
fn staging() -> PathBuf {
    root().join("target/extension")
}

/// Intermediate output (wasm-bindgen's ES modules) that is bundled into the staging dir.
fn work_dir() -> PathBuf {
    root().join("target/extension-work")
}

fn npm_bin(tool: &str) -> Result<String> {
    let path = root().join("tests/node_modules/.bin").join(tool);
    if path.exists() {
        Ok(path.to_string_lossy().into_owned())
    } else {
        Err(format!(
            "{tool} not found in tests/node_modules: run `cargo xtask setup`"
        ))
    }
}

/// `cargo xtask dist [--profile FILE] [--no-build] [--out DIR]`: builds dist/; with `--profile`,
/// bakes that profile in as the packages' built-in one (see [`bake`]). `--no-build` bakes the
/// packages dist/ holds already; `--out DIR` writes the baked packages there instead of dist/.
pub fn run(args: &[String]) -> Result {
    let mut profile = None;
    let mut out = None;
    let mut no_build = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--profile" => {
                profile = Some(PathBuf::from(args.next().ok_or("--profile needs a file")?))
            }
            "--out" => out = Some(PathBuf::from(args.next().ok_or("--out needs a directory")?)),
            "--no-build" => no_build = true,
            other => {
                return Err(format!(
                "`cargo xtask dist` takes --profile FILE, --no-build and --out DIR; got `{other}`"
            ))
            }
        }
    }
    if profile.is_none() && (no_build || out.is_some()) {
        return Err("--no-build and --out go with --profile FILE".into());
    }
    if !no_build {
        build()?;
    }
    match profile {
        Some(file) => bake(&file, out.as_deref().unwrap_or(&dist_dir())),
        None => Ok(()),
    }
}

/// Bakes the site profile in `file` (an export of the site-profiles page) into the packages: it
/// becomes their built-in profile (`built-in-profile.json`, read by the background), and its
/// origins and API go into the manifest's install-time `host_permissions` and its pages into the
/// content script's `matches` — so a headless test suite loads the extension on its own app with
/// no prompt to answer.
pub fn bake(file: &Path, out: &Path) -> Result {
    step("bake", || {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let profile =
            job_actions::sites::profile::SiteProfile::import(&text).map_err(|problems| {
                format!(
                    "{} is not a valid profile: {}",
                    file.display(),
                    problems.join(" ")
                )
            })?;
        let hosts = job_actions::sites::profiles::patterns_of(&profile)?;
        let pages = job_actions::sites::profiles::page_patterns_of(&profile);
        for browser in ["chrome", "firefox"] {
            let from = dist_dir().join(browser);
            let dir = out.join(browser);
            if dir != from {
                recreate(&dir)?;
                copy_tree(&from, &dir)?;
            }
            let manifest_path = dir.join("manifest.json");
            let mut manifest: Value =
                serde_json::from_str(&std::fs::read_to_string(&manifest_path).map_err(|e| {
                    format!(
                        "cannot read {}: {e} (build dist/ first)",
                        manifest_path.display()
                    )
                })?)
                .map_err(|e| format!("{} is not valid JSON: {e}", manifest_path.display()))?;
            bake_manifest(&mut manifest, &hosts, &pages)?;
            let text = serde_json::to_string_pretty(&manifest).expect("a Value always serializes");
            std::fs::write(&manifest_path, text + "\n")
                .map_err(|e| format!("cannot write {}: {e}", manifest_path.display()))?;
            std::fs::write(
                dir.join(job_actions::sites::profiles::BUILT_IN_FILE),
                profile.to_json(),
            )
            .map_err(|e| format!("cannot write the profile into {}: {e}", dir.display()))?;
            zip(&dir, &out.join(format!("job-actions-{browser}.zip")))?;
            println!(
                "  {browser}: {} with the built-in profile \"{}\"",
                dir.display(),
                profile.name
            );
        }
        Ok(())
    })
}

/// Adds `hosts` to the install-time host permissions and `pages` to the content script's matches.
fn bake_manifest(manifest: &mut Value, hosts: &[String], pages: &[String]) -> Result {
    let add = |list: Option<&mut Value>, items: &[String], what: &str| -> Result {
        let list = list
            .and_then(Value::as_array_mut)
            .ok_or_else(|| format!("the manifest has no {what} list"))?;
        for item in items {
            if !list.iter().any(|known| known == item) {
                list.push(json!(item));
            }
        }
        Ok(())
    };
    add(
        manifest.get_mut("host_permissions"),
        hosts,
        "host_permissions",
    )?;
    add(
        manifest.pointer_mut("/content_scripts/0/matches"),
        pages,
        "content_scripts[0].matches",
    )
}

/// `run`, telling which toolchain built the wasm (the benchmark prints it).
pub fn build() -> Result<WasmToolchain> {
    step("dist", || {
        let staging = staging();
        recreate(&staging)?;
        recreate(&work_dir())?;
        let toolchain = WasmToolchain::detect();
        println!("  wasm toolchain: {}", toolchain.describe());
        std::thread::scope(|scope| {
            let tails = Tails::new(scope);
            let built = build_content_wasm(&toolchain, &staging, &tails)
                .and_then(|()| build_content_wasm2js(&toolchain, &staging, &tails))
                .and_then(|()| build_popup(&toolchain, &staging, &tails))
                .and_then(|()| build_background(&toolchain, &staging, &tails));
            // Every tail is waited for, even after a failed build: none writes into a dist/ the
            // next command reads.
            let finished = tails.join();
            built.and(finished)
        })?;
        for browser in ["chrome", "firefox"] {
            assemble(browser, &staging)?;
        }
        Ok(toolchain)
    })
}

/// What follows each cargo build and needs no cargo (wasm-opt, wasm2js, bundling), run beside the
/// next cargo build: wasm-opt is single-threaded JavaScript and the size build's last codegen
/// unit one thread, so on two cores each had one idle. A tail never reads the cargo output that
/// the next build writes over (wasm-bindgen copies it into the tail's own directory first).
struct Tails<'scope, 'env> {
    scope: &'scope std::thread::Scope<'scope, 'env>,
    running: std::cell::RefCell<Vec<std::thread::ScopedJoinHandle<'scope, Result>>>,
}

impl<'scope, 'env> Tails<'scope, 'env> {
    fn new(scope: &'scope std::thread::Scope<'scope, 'env>) -> Self {
        Tails {
            scope,
            running: std::cell::RefCell::new(Vec::new()),
        }
    }

    fn spawn(&self, work: impl FnOnce() -> Result + Send + 'scope) {
        self.running.borrow_mut().push(self.scope.spawn(work));
    }

    /// Waits for every tail; the first failure, if any.
    fn join(self) -> Result {
        let mut outcome = Ok(());
        for tail in self.running.into_inner() {
            let result = tail
                .join()
                .unwrap_or_else(|_| Err("a build step panicked".to_string()));
            if outcome.is_ok() {
                outcome = result;
            }
        }
        outcome
    }
}

fn recreate(dir: &Path) -> Result {
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// `wasm-opt -Oz`, run until it stops shrinking (`--converge`: 0.1–0.3 KiB gzip less per part
/// than one round, measured on the content builds), told that no address below 1024 is used
/// (`--low-memory-unused`: Rust's stack sits below its data from 1 MiB up and it never forms a
/// pointer that wraps, so a constant added to a pointer can be folded into the access's offset;
/// 0.6 KiB gzip off the actions build), and without the sections browsers never read (which
/// tools made it, which target features it was compiled for: 0.2 KiB).
fn wasm_opt(input: &Path, features: &[&str]) -> Result {
    // For a profile with function names (bigger, never shipped): JOB_ACTIONS_WASM_NAMES=1.
    let names = std::env::var_os("JOB_ACTIONS_WASM_NAMES").map(|_| "-g");
    Cmd::new(&npm_bin("wasm-opt")?, &root())
        .args(["-Oz", "--converge", "--low-memory-unused"])
        .args(["--strip-producers", "--strip-target-features"])
        .args(features.iter().copied())
        .args(names)
        .arg(input)
        .arg("-o")
        .arg(input)
        .run()
}

/// Where the normal release builds go (the wasm2js build has its own dir: other RUSTFLAGS).
const RELEASE_TARGET_DIR: &str = "target/wasm-release";

/// `cargo build --release -p PACKAGE` (with `cargo_args`: features) for wasm32, then
/// `wasm-bindgen --target web` of its program of the same name into `out`: the normal build of
/// the content script, the popup and the background (`optimise_web_target` follows).
fn build_web_target(
    toolchain: &WasmToolchain,
    package: &str,
    cargo_args: &[&str],
    out: &Path,
) -> Result {
    toolchain
        .release_build(package, RELEASE_TARGET_DIR, "")
        .args(cargo_args.iter().copied())
        .run()?;
    bind_web_target(package, out)
}

/// `wasm-bindgen --target web` of the release program `name` (a package, or another program of
/// one) into `out`.
fn bind_web_target(name: &str, out: &Path) -> Result {
    Cmd::new("wasm-bindgen", &root())
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(out)
        .arg(WasmToolchain::output(RELEASE_TARGET_DIR, name))
        .run()
}

/// wasm-opt of a program `bind_web_target` put into `out`, and its hashed names shortened.
fn optimise_web_target(name: &str, out: &Path) -> Result {
    let wasm = out.join(format!("{name}_bg.wasm"));
    wasm_opt(&wasm, &WASM_FEATURES)?;
    shorten_hashed_names(&wasm, &out.join(format!("{name}.js")))
}

/// Renames the hashed imports and exports of `wasm` and its glue `js` alike (`wasm_edit.rs`).
fn shorten_hashed_names(wasm: &Path, js: &Path) -> Result {
    let module = std::fs::read(wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    let (module, renames) = wasm_edit::shorten_hashed_names(&module)?;
    edit(js, |text| renames.apply(text))?;
    std::fs::write(wasm, module).map_err(|e| format!("cannot write {}: {e}", wasm.display()))
}

/// The cargo arguments of the content crate's page-wide build, and of its actions build (its
/// default features).
const PAGE_WIDE: &[&str] = &["--no-default-features"];
const ACTIONS: &[&str] = &[];

/// The normal build: `content/loader.js` (the loader bundled with the page-wide build's glue, one
/// classic script) and `content/wasm/content_bg.wasm`, which the loader fetches; then
/// `content/actions.js` (the actions build's entry and glue, which the background injects on
/// first use) and `content/wasm/actions_bg.wasm`, which that fetches.
fn build_content_wasm(toolchain: &WasmToolchain, staging: &Path, tails: &Tails) -> Result {
    let work = work_dir().join("content");
    for (cargo_args, dir, entry, wasm) in [
        (PAGE_WIDE, "wasm", "loader.js", "content_bg.wasm"),
        (ACTIONS, "actions", "actions.js", "actions_bg.wasm"),
    ] {
        build_web_target(toolchain, "content", cargo_args, &work.join(dir))?;
        let (work, staging) = (work.clone(), staging.to_path_buf());
        tails.spawn(move || {
            optimise_web_target("content", &work.join(dir))?;
            copy(
                &work.join(dir).join("content_bg.wasm"),
                &staging.join("content/wasm").join(wasm),
            )?;
            bundle_classic(
                &root().join("content").join(entry),
                &work,
                &staging.join("content").join(entry),
            )
        });
    }
    Ok(())
}

/// The background: `background.js` (`background/main.js` bundled with the crate's wasm glue, one
/// classic script, as a service worker must be in Chrome) and `background/background_bg.wasm`.
fn build_background(toolchain: &WasmToolchain, staging: &Path, tails: &Tails) -> Result {
    let work = work_dir().join("background");
    build_web_target(toolchain, "background", &[], &work.join("pkg"))?;
    let staging = staging.to_path_buf();
    tails.spawn(move || {
        optimise_web_target("background", &work.join("pkg"))?;
        copy(
            &work.join("pkg/background_bg.wasm"),
            &staging.join("background/background_bg.wasm"),
        )?;
        bundle_classic(
            &root().join("background/main.js"),
            &work,
            &staging.join("background.js"),
        )
    });
    Ok(())
}

/// Bundles the ES module `entry` (copied into `work`, next to the modules it imports) into one
/// minified classic script: content scripts, and scripts the background injects, cannot be
/// modules, and a dynamic `import()` of an extension URL is what `web-ext lint` flags.
fn bundle_classic(entry: &Path, work: &Path, out: &Path) -> Result {
    let name = entry.file_name().ok_or("a bundle entry has no file name")?;
    let staged_entry = work.join(name);
    copy(entry, &staged_entry)?;
    Cmd::new(&npm_bin("esbuild")?, &root())
        .args([
            "--bundle",
            "--minify",
            "--format=iife",
            "--log-level=warning",
            // The glue only reads `import.meta.url` when not told where its .wasm is; the loader
            // always tells it.
            "--define:import.meta.url=undefined",
        ])
        .arg(&staged_entry)
        .arg(format!("--outfile={}", out.display()))
        .run()
}

/// Minifies an ES module in place (exports, imports and `import.meta` are kept).
fn minify_js(path: &Path) -> Result {
    Cmd::new(&npm_bin("esbuild")?, &root())
        .args([
            "--minify",
            "--format=esm",
            "--log-level=warning",
            "--allow-overwrite",
        ])
        .arg(path)
        .arg(format!("--outfile={}", path.display()))
        .run()
}

/// The fallback: both builds of the crate (page-wide: `content/js/content.js`; actions:
/// `content/js/actions.js`) without reference types and multivalue, through wasm2js.
fn build_content_wasm2js(toolchain: &WasmToolchain, staging: &Path, tails: &Tails) -> Result {
    wasm2js_build(
        toolchain,
        PAGE_WIDE,
        "js",
        "fallback.js",
        staging.join("content/js/content.js"),
        tails,
    )?;
    wasm2js_build(
        toolchain,
        ACTIONS,
        "actions-js",
        "actions-fallback.js",
        staging.join("content/js/actions.js"),
        tails,
    )
}

/// One wasm2js build of the content crate (with `cargo_args`), its glue in the work dir's `dir`,
/// bundled with the entry `content/ENTRY` into `bundle`. In its own target dir so the two
/// RUSTFLAGS never invalidate each other's cache.
fn wasm2js_build(
    toolchain: &WasmToolchain,
    cargo_args: &[&str],
    dir: &str,
    entry: &'static str,
    bundle: PathBuf,
    tails: &Tails,
) -> Result {
    const WASM2JS_TARGET_DIR: &str = "target/wasm2js";
    toolchain
        .release_build(
            "content",
            WASM2JS_TARGET_DIR,
            "-C target-feature=-reference-types,-multivalue",
        )
        .args(cargo_args.iter().copied())
        .run()?;
    let target_dir = root().join(WASM2JS_TARGET_DIR);
    // On stable, objects that never go through LTO (compiler_builtins: e.g. the 128-bit multiply
    // that float formatting uses) are precompiled with rustc's default features and mark the
    // module as using reference types, which would make wasm-bindgen emit externref glue that
    // wasm2js cannot convert. The crate itself was built without them, so the marker is dropped.
    // (With `-Zbuild-std` they are rebuilt with these flags; dropping the marker changes nothing.)
    let built = WasmToolchain::output(WASM2JS_TARGET_DIR, "content");
    let stripped = target_dir.join("stripped/content.wasm");
    std::fs::create_dir_all(target_dir.join("stripped"))
        .map_err(|e| format!("cannot create a dir: {e}"))?;
    let bytes =
        std::fs::read(&built).map_err(|e| format!("cannot read {}: {e}", built.display()))?;
    let bytes = wasm_edit::without_custom_section(&bytes, "target_features")?;
    std::fs::write(&stripped, bytes)
        .map_err(|e| format!("cannot write {}: {e}", stripped.display()))?;
    let work = work_dir().join("content");
    let out = work.join(dir);
    Cmd::new("wasm-bindgen", &root())
        .args(["--target", "bundler", "--no-typescript", "--out-dir"])
        .arg(&out)
        .arg(&stripped)
        .run()?;
    tails.spawn(move || wasm2js_tail(&work, &out, entry, &bundle));
    Ok(())
}

/// What follows a wasm2js build's wasm-bindgen (into `out`, in the work dir `work`): wasm-opt,
/// wasm2js, the glue's patches, and the bundle with the entry `content/ENTRY`.
fn wasm2js_tail(work: &Path, out: &Path, entry: &str, bundle: &Path) -> Result {
    let wasm = out.join("content_bg.wasm");
    wasm_opt(&wasm, &WASM2JS_FEATURES)?;
    let js = out.join("content_bg.wasm.js");
    // `-Os`, not `-Oz`: wasm2js's own passes at `-Oz` make JavaScript that compresses worse
    // (the actions build: 0.3 KiB gzip more, measured on its bundle).
    Cmd::new(&npm_bin("wasm2js")?, &root())
        .arg("-Os")
        .args(WASM2JS_FEATURES)
        .arg(&wasm)
        .arg("-o")
        .arg(&js)
        .run()?;
    std::fs::remove_file(&wasm).map_err(|e| format!("cannot remove {}: {e}", wasm.display()))?;
    edit(&js, |text| match wasm_edit::data_as_byte_strings(text)? {
        (_, 0) => Err(format!("no data segments found in {}", js.display())),
        (text, _) => Ok(text),
    })?;
    patch_wasm2js_glue(out, "content")?;
    bundle_classic(&root().join("content").join(entry), work, bundle)?;
    // The module is JavaScript here too: one text holds every name (`wasm_edit.rs`).
    edit(bundle, |text| {
        wasm_edit::shorten_hashed_names_in_js(text).map(|(text, _)| text)
    })
}

/// Two edits make wasm-bindgen's bundler glue run on the wasm2js module in a browser:
/// 1. import the wasm2js ES module instead of a `.wasm` file (browsers cannot import those);
/// 2. refresh cached memory views whenever `memory.buffer` changes: wasm2js grows memory by
///    swapping in a new ArrayBuffer and leaves the old one attached, so the glue's "detached?"
///    test never fires and it would keep writing into a stale copy.
pub fn patch_wasm2js_glue(dir: &Path, name: &str) -> Result {
    let entry = dir.join(format!("{name}.js"));
    let from = format!("from \"./{name}_bg.wasm\";");
    edit(&entry, |text| {
        if !text.contains(&from) {
            return Err(format!("no `{from}` in {}", entry.display()));
        }
        Ok(text.replace(&from, &format!("from \"./{name}_bg.wasm.js\";")))
    })?;
    let glue = dir.join(format!("{name}_bg.js"));
    edit(&glue, |text| {
        let (patched, n_views) = refresh_memory_views(text);
        if n_views == 0 {
            return Err(format!(
                "no cached memory views found in {}",
                glue.display()
            ));
        }
        Ok(patched)
    })
}

/// Rewrites every `if (cachedXMemory0 === null || …) {` into a buffer-identity check.
pub fn refresh_memory_views(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut n_views = 0;
    while let Some(start) = rest.find("if (cached") {
        out.push_str(&rest[..start]);
        let candidate = &rest[start..];
        let name_end = candidate[4..].find(' ').map(|i| i + 4);
        let brace = candidate.find(") {");
        match (name_end, brace) {
            (Some(name_end), Some(brace))
                if candidate[4..name_end].ends_with("Memory0")
                    && candidate[name_end..].starts_with(" === null ||")
                    && !candidate[..brace].contains('\n') =>
            {
                let view = &candidate[4..name_end];
                out.push_str(&format!(
                    "if ({view} === null || {view}.buffer !== wasm.memory.buffer) {{"
                ));
                rest = &candidate[brace + 3..];
                n_views += 1;
            }
            _ => {
                out.push_str("if (cached");
                rest = &candidate["if (cached".len()..];
            }
        }
    }
    out.push_str(rest);
    (out, n_views)
}

fn edit(path: &Path, change: impl FnOnce(&str) -> Result<String>) -> Result {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let changed = change(&text)?;
    std::fs::write(path, changed).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The popup crate's two programs, each into its own directory (wasm-bindgen numbers a crate's
/// snippets per program): the toolbar popup (`popup/`) and the site-profiles options page
/// (`options/`).
fn build_popup(toolchain: &WasmToolchain, staging: &Path, tails: &Tails) -> Result {
    let popup = staging.join("popup");
    let options = staging.join("options");
    // Builds both programs; binds the popup.
    build_web_target(toolchain, "popup", &[], &popup)?;
    bind_web_target("options", &options)?;
    tails.spawn(move || popup_tail(&popup, &options));
    Ok(())
}

/// What follows the popup crate's build and wasm-bindgen: wasm-opt and minifying of both
/// programs, Dioxus's sinks patched, the pages copied beside them.
fn popup_tail(popup: &Path, options: &Path) -> Result {
    optimise_web_target("popup", popup)?;
    optimise_web_target("options", options)?;
    for out in [popup, options] {
        let mut patched = 0;
        for js in files_with_extensions(out, &["js"])? {
            minify_js(&js)?;
            edit(&js, |text| {
                let (text, count) = without_markup_attribute(text);
                patched += count;
                Ok(text)
            })?;
        }
        // Dioxus 0.7.10's interpreter sets and clears `dangerous_inner_html` in 3 places; a
        // Dioxus update that moves them must be looked at, not shipped unpatched.
        if patched != 3 {
            return Err(format!(
                "expected 3 `dangerous_inner_html` sinks in Dioxus's interpreter in {}, patched {patched}",
                out.display()
            ));
        }
    }
    let source = root().join("popup");
    for (from, to) in [
        ("popup.html", popup.join("popup.html")),
        ("main.js", popup.join("main.js")),
        ("popup.css", popup.join("popup.css")),
        ("options.html", options.join("options.html")),
        ("options-main.js", options.join("main.js")),
    ] {
        copy(&source.join(from), &to)?;
    }
    Ok(())
}

/// Makes Dioxus's `dangerous_inner_html` attribute set text instead of markup. The popup never
/// uses that attribute; with this, no HTML-string sink ships at all (`sinks.rs`, issue #10) and
/// `web-ext lint` has nothing to warn about there. Works on the minified snippets:
/// `case"dangerous_inner_html":e.innerHTML=t;break;` → `…:e.textContent=t;break;`.
pub fn without_markup_attribute(text: &str) -> (String, usize) {
    const CASE: &str = "case\"dangerous_inner_html\":";
    let sink = [".inner", "HTML="].concat();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut count = 0;
    while let Some(at) = rest.find(CASE) {
        let body_at = at + CASE.len();
        out.push_str(&rest[..body_at]);
        rest = &rest[body_at..];
        let statement_end = rest.find(";break;").unwrap_or(0);
        if let Some(sink_at) = rest[..statement_end].find(&sink) {
            out.push_str(&rest[..sink_at]);
            out.push_str(".textContent=");
            rest = &rest[sink_at + sink.len()..];
            count += 1;
        }
    }
    out.push_str(rest);
    (out, count)
}

/// The manifest for one browser, derived from the Chrome source manifest.
pub fn manifest_for(browser: &str, source: &Value) -> Result<Value> {
    let mut manifest = source.clone();
    let object = manifest
        .as_object_mut()
        .ok_or("manifest.json is not a JSON object")?;
    match browser {
        "chrome" => {}
        "firefox" => {
            // Firefox derives no id from `key`; it needs a gecko id instead.
            object.remove("key");
            // Firefox reads managed storage from its own policies (`3rdparty.Extensions`), with
            // no schema in the package.
            object.remove("storage");
            if let Some(background) = object.get_mut("background").and_then(Value::as_object_mut) {
                if let Some(worker) = background.remove("service_worker") {
                    background.insert("scripts".into(), json!([worker]));
                }
            }
            object.insert(
                "browser_specific_settings".into(),
                // 140 / 142: the first desktop / Android releases that read
                // `data_collection_permissions`, which AMO requires.
                json!({
                    "gecko": {
                        "id": GECKO_ID,
                        "strict_min_version": "140.0",
                        "data_collection_permissions": { "required": ["none"] }
                    },
                    "gecko_android": { "strict_min_version": "142.0" }
                }),
            );
        }
        other => return Err(format!("unknown browser `{other}`")),
    }
    Ok(manifest)
}

fn assemble(browser: &str, staging: &Path) -> Result {
    let out = dist_dir().join(browser);
    recreate(&out)?;
    let source_path = root().join("manifest.json");
    let source: Value = serde_json::from_str(
        &std::fs::read_to_string(&source_path)
            .map_err(|e| format!("cannot read manifest.json: {e}"))?,
    )
    .map_err(|e| format!("manifest.json is not valid JSON: {e}"))?;
    let manifest = manifest_for(browser, &source)?;
    let text = serde_json::to_string_pretty(&manifest).expect("a Value always serializes");
    std::fs::write(out.join("manifest.json"), text + "\n")
        .map_err(|e| format!("cannot write manifest: {e}"))?;
    copy(&staging.join("background.js"), &out.join("background.js"))?;
    if manifest.pointer("/storage/managed_schema").is_some() {
        copy(
            &root().join("managed_schema.json"),
            &out.join("managed_schema.json"),
        )?;
    }
    copy_tree(&staging.join("background"), &out.join("background"))?;
    copy_tree(&root().join("icons"), &out.join("icons"))?;
    copy_tree(&staging.join("content"), &out.join("content"))?;
    copy_tree(&staging.join("popup"), &out.join("popup"))?;
    copy_tree(&staging.join("options"), &out.join("options"))?;
    let zip_file = dist_dir().join(format!("job-actions-{browser}.zip"));
    zip(&out, &zip_file)?;
    println!("  {browser}: {} and {}", out.display(), zip_file.display());
    Ok(())
}

/// Zips `dir`'s contents into `file` (replacing it), the manifest at the archive's root.
fn zip(dir: &Path, file: &Path) -> Result {
    let _ = std::fs::remove_file(file);
    // Python's zipfile is on every machine of this kind.
    Cmd::new("python3", dir)
        .args([
            "-c",
            "import shutil,sys; shutil.make_archive(sys.argv[1], 'zip', '.')",
        ])
        .arg(file.with_extension(""))
        .run()
}

fn copy(from: &Path, to: &Path) -> Result {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

fn copy_tree(from: &Path, to: &Path) -> Result {
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            copy(&entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_baked_profile_widens_the_install_time_permissions_once() {
        let mut manifest = json!({
            "host_permissions": ["http://127.0.0.1/*"],
            "content_scripts": [{ "matches": ["http://127.0.0.1/*"], "js": ["content/loader.js"] }]
        });
        let hosts = [
            "https://jobs.example/*".to_string(),
            "https://api.example/*".into(),
        ];
        let pages = ["https://jobs.example/*".to_string()];
        bake_manifest(&mut manifest, &hosts, &pages).unwrap();
        bake_manifest(&mut manifest, &hosts, &pages).unwrap();
        assert_eq!(
            manifest["host_permissions"],
            json!([
                "http://127.0.0.1/*",
                "https://jobs.example/*",
                "https://api.example/*"
            ])
        );
        assert_eq!(
            manifest["content_scripts"][0]["matches"],
            json!(["http://127.0.0.1/*", "https://jobs.example/*"])
        );
        assert!(bake_manifest(&mut json!({}), &hosts, &pages).is_err());
    }

    #[test]
    fn memory_view_checks_are_rewritten() {
        let glue = "function getUint8ArrayMemory0() {\n    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {\n        x();\n    }\n}\n\
                    function getDataViewMemory0() {\n    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {\n        y();\n    }\n}\n\
                    if (cachedOther === null) { z(); }\n";
        let (patched, n_views) = refresh_memory_views(glue);
        assert_eq!(n_views, 2);
        assert!(patched.contains("if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.buffer !== wasm.memory.buffer) {\n        x();"));
        assert!(patched.contains("if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer !== wasm.memory.buffer) {\n        y();"));
        assert!(
            patched.contains("if (cachedOther === null) { z(); }"),
            "other checks are left alone"
        );
    }

    #[test]
    fn dioxus_markup_attribute_sets_text() {
        let sink = [".inner", "HTML"].concat();
        let minified = format!(
            r#"switch(n){{case"value":e.value=t;break;case"dangerous_inner_html":e{sink}=t;break;case"style":x(){sink}}}case"dangerous_inner_html":h{sink}="";break;"#
        );
        let (patched, count) = without_markup_attribute(&minified);
        assert_eq!(count, 2);
        assert_eq!(
            patched,
            format!(
                r#"switch(n){{case"value":e.value=t;break;case"dangerous_inner_html":e.textContent=t;break;case"style":x(){sink}}}case"dangerous_inner_html":h.textContent="";break;"#
            )
        );
    }

    #[test]
    fn firefox_manifest_is_derived_from_chrome_one() {
        let source = json!({
            "manifest_version": 3,
            "key": "abc",
            "background": { "service_worker": "background.js" },
            "action": { "default_popup": "popup/popup.html" },
            "storage": { "managed_schema": "managed_schema.json" }
        });
        assert_eq!(manifest_for("chrome", &source).unwrap(), source);
        let firefox = manifest_for("firefox", &source).unwrap();
        assert!(firefox.get("key").is_none());
        assert!(firefox.get("storage").is_none());
        assert_eq!(
            firefox["background"],
            json!({ "scripts": ["background.js"] })
        );
        assert_eq!(
            firefox["browser_specific_settings"]["gecko"]["id"],
            json!(GECKO_ID)
        );
        assert_eq!(
            firefox["browser_specific_settings"]["gecko"]["data_collection_permissions"],
            json!({ "required": ["none"] })
        );
        assert_eq!(firefox["action"], source["action"]);
        assert!(manifest_for("safari", &source).is_err());
    }
}
