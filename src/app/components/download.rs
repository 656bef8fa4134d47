//! Files built in the browser (CSV, JSON exports) handed to the person as downloads.

/// Hands a string to the browser as a file download (built here: no server round trip).
pub fn download(filename: &str, mime: &str, content: &str) -> Result<(), wasm_bindgen::JsValue> {
    use leptos::prelude::document;
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(filename);
    document().body().ok_or("no body")?.append_child(&a)?;
    a.click();
    a.remove();
    web_sys::Url::revoke_object_url(&url)
}
