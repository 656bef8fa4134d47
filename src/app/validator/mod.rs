//! The host of the validator's Web Worker (`public/qpp-worker.js`), used by every page that
//! checks files: it starts the worker with the app's own wasm, posts files to it, and turns its
//! messages into [`WorkerEvent`]s. The pages keep their own lists of files; this keeps the worker.

use crate::qpp::qrda::QrdaSummary;
use crate::qpp::Report;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What the worker said about the file with `id`.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerEvent {
    Reading {
        id: u32,
        done: f64,
        total: f64,
    },
    Checking {
        id: u32,
        done: f64,
        total: f64,
        submissions: usize,
    },
    /// A QPP JSON file, checked with every rule.
    Report {
        id: u32,
        report: Arc<Report>,
    },
    /// A QRDA III file: its participant and sections.
    Qrda {
        id: u32,
        summary: Arc<QrdaSummary>,
    },
    Failed {
        id: u32,
        message: String,
    },
    /// The worker stopped (e.g. out of memory): every running check is lost.
    Crashed,
}

const UNSUPPORTED: &str = "This browser can't check files (it needs module Web Workers). Use a current version of Chrome, Edge, Firefox or Safari.";

/// The app's own wasm and its JS glue, as Trunk linked them into the page: the worker loads the
/// same module, so no second build and no second copy of the rules.
fn module_urls() -> Option<(String, String)> {
    let doc = leptos::prelude::document();
    let glue = doc.query_selector("link[rel=modulepreload]").ok()??.get_attribute("href")?;
    let wasm = doc.query_selector("link[rel=preload][as=fetch]").ok()??.get_attribute("href")?;
    Some((glue, wasm))
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Reads one worker message.
fn event_of(data: &JsValue) -> Option<WorkerEvent> {
    let id = get(data, "id").as_f64().unwrap_or(0.0) as u32;
    let num = |k: &str| get(data, k).as_f64().unwrap_or(0.0);
    let text = |k: &str| get(data, k).as_string().unwrap_or_default();
    let unreadable = |e: serde_json::Error| WorkerEvent::Failed {
        id,
        message: format!("The checker's answer could not be read ({e})."),
    };
    Some(match get(data, "type").as_string()?.as_str() {
        "progress" if text("phase") == "reading" => WorkerEvent::Reading { id, done: num("done"), total: num("total") },
        "progress" => WorkerEvent::Checking {
            id,
            done: num("done"),
            total: num("total"),
            submissions: num("submissions") as usize,
        },
        "done" if get(data, "qrda").is_string() => serde_json::from_str::<QrdaSummary>(&text("qrda"))
            .map(|s| WorkerEvent::Qrda { id, summary: Arc::new(s) })
            .unwrap_or_else(unreadable),
        "done" => serde_json::from_str::<Report>(&text("report"))
            .map(|r| WorkerEvent::Report { id, report: Arc::new(r) })
            .unwrap_or_else(unreadable),
        "failed" => WorkerEvent::Failed { id, message: format!("The file could not be read: {}", text("message")) },
        _ => return None,
    })
}

/// A running worker. Dropping it (or [`Validator::stop`]) ends every check in progress.
pub struct Validator {
    worker: web_sys::Worker,
    glue: String,
    wasm: String,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Validator {
    /// Starts a worker; `on_event` gets each of its events. `Err` says, in a sentence, why this
    /// browser can't check files.
    pub fn start(on_event: impl Fn(WorkerEvent) + 'static) -> Result<Validator, String> {
        let (glue, wasm) = module_urls().ok_or_else(|| UNSUPPORTED.to_string())?;
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker =
            web_sys::Worker::new_with_options("/qpp-worker.js", &options).map_err(|_| UNSUPPORTED.to_string())?;
        let on_event = std::rc::Rc::new(on_event);
        let on = on_event.clone();
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Some(event) = event_of(&e.data()) {
                on(event);
            }
        });
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| on_event(WorkerEvent::Crashed));
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Validator { worker, glue, wasm, _on_message: on_message, _on_error: on_error })
    }

    /// Posts `{id, glue, wasm, <key>: value}`: every message names the module to load, so a
    /// fresh worker needs no separate start-up message.
    fn post(&self, id: u32, key: &str, value: &JsValue) -> bool {
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"id".into(), &JsValue::from(id));
        let _ = js_sys::Reflect::set(&msg, &"glue".into(), &self.glue.as_str().into());
        let _ = js_sys::Reflect::set(&msg, &"wasm".into(), &self.wasm.as_str().into());
        let _ = js_sys::Reflect::set(&msg, &key.into(), value);
        self.worker.post_message(&msg).is_ok()
    }

    /// Reads and checks `file` (QPP JSON with every rule, QRDA III for its participant).
    pub fn check(&self, id: u32, file: &web_sys::File) -> bool {
        self.post(id, "file", file)
    }

    /// Fetches every year's catalogue in the background, so later checks also work offline.
    pub fn prefetch(&self) {
        self.post(0, "prefetch", &JsValue::TRUE);
    }

    pub fn stop(self) {}
}

impl Drop for Validator {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// A page's worker: started when first needed, stopped (ending every check) and started again
/// after a cancel or a crash. `Copy`, so page state can hold it.
#[derive(Clone, Copy)]
pub struct ValidatorSlot(leptos::prelude::StoredValue<Option<Validator>, leptos::prelude::LocalStorage>);

impl Default for ValidatorSlot {
    fn default() -> Self {
        ValidatorSlot(leptos::prelude::StoredValue::new_local(None))
    }
}

impl ValidatorSlot {
    /// Starts the worker unless one runs. `Err` says, in a sentence, why this browser can't.
    pub fn ensure(self, on_event: impl Fn(WorkerEvent) + 'static) -> Result<(), String> {
        use leptos::prelude::*;
        if self.0.with_value(|v| v.is_some()) {
            return Ok(());
        }
        let v = Validator::start(on_event)?;
        self.0.set_value(Some(v));
        Ok(())
    }

    /// Posts `file` to the running worker; false when none runs.
    pub fn check(self, id: u32, file: &web_sys::File) -> bool {
        use leptos::prelude::*;
        self.0.with_value(|v| v.as_ref().is_some_and(|v| v.check(id, file)))
    }

    pub fn prefetch(self) {
        use leptos::prelude::*;
        self.0.with_value(|v| v.as_ref().map(Validator::prefetch));
    }

    /// Ends the worker and every check in progress.
    pub fn stop(self) {
        use leptos::prelude::*;
        self.0.set_value(None);
    }
}
