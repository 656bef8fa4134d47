//! "Show in file": the lines around a finding, read from the file on demand.

use super::jobs::Files;
use crate::app::components::Modal;
use crate::qpp::rules::Diagnostic;
use leptos::prelude::*;

/// The place of a finding in its file, read from the file on demand (a slice around the byte
/// offset: the file itself is never kept in memory), in a native modal dialog.
#[component]
pub fn PlaceDialog(place: RwSignal<Option<(u32, Diagnostic)>>, files: Files) -> impl IntoView {
    let excerpt: RwSignal<Option<Result<Excerpt, String>>> = RwSignal::new(None);
    let title = RwSignal::new(String::new());
    Effect::new(move |_| {
        let Some((job, d)) = place.get() else { return };
        let name = files.with_value(|fs| fs.iter().find(|(i, _)| *i == job).map(|(_, f)| (f.name(), f.clone())));
        // The file was cleared meanwhile ("Check other files"): nothing to show.
        let Some((file_name, file)) = name else { return place.set(None) };
        title.set(format!("Line {}, column {} in {file_name}", d.line, d.column));
        excerpt.set(None);
        leptos::task::spawn_local(async move {
            excerpt.set(Some(read_excerpt(&file, &d).await));
        });
    });
    view! {
        <Modal open=Signal::derive(move || place.get().is_some()) on_close=Callback::new(move |_| place.set(None))
            class="place-dialog" labelledby="place-dialog-title">
            <h2 id="place-dialog-title" class="ds-text-heading--xl">{move || title.get()}</h2>
            {move || match excerpt.get() {
                None => view! { <p role="status">"Reading the file…"</p> }.into_any(),
                Some(Err(e)) => view! { <p role="alert">{e}</p> }.into_any(),
                Some(Ok(x)) => view! {
                    <pre class="place-dialog__code" tabindex="0" aria-label="The file around the place">
                        {x.lines.into_iter().map(|(n, before, mark, after)| view! {
                            <span class="place-dialog__line"><span class="place-dialog__number">{format!("{n:>6}  ")}</span>{before}{(!mark.is_empty()).then(|| view! { <mark>{mark}</mark> })}{after}"\n"</span>
                        }).collect_view()}
                    </pre>
                }.into_any(),
            }}
            <form method="dialog">
                <button class="ds-c-button ds-c-button--solid" type="submit">"Close"</button>
            </form>
        </Modal>
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Excerpt {
    /// (line number, text before the mark, marked text, text after)
    lines: Vec<(u32, String, String, String)>,
}

async fn read_excerpt(file: &web_sys::File, d: &Diagnostic) -> Result<Excerpt, String> {
    const AROUND: f64 = 600.0;
    let start = (d.offset as f64 - AROUND).max(0.0);
    let end = (d.offset as f64 + AROUND).min(file.size());
    let blob = file.slice_with_f64_and_f64(start, end).map_err(|_| "The file could not be read again.".to_string())?;
    let text = wasm_bindgen_futures::JsFuture::from(blob.text())
        .await
        .map_err(|_| "The file could not be read again (was it moved or changed?).".to_string())?;
    let text = text.as_string().unwrap_or_default();
    Ok(excerpt_lines(&text, d.offset - start as usize, d.line))
}

/// Up to two lines either side of the place; long (minified) lines are cut to 120 characters
/// either side of it. The marked text runs to the end of the value's first token.
fn excerpt_lines(text: &str, at: usize, line: u32) -> Excerpt {
    let at = (0..=at.min(text.len())).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
    let (before, after) = text.split_at(at);
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let mark_len = after.find([',', '}', ']', '\n']).unwrap_or(after.len()).min(60);
    let mark_len = (0..=mark_len).rev().find(|i| after.is_char_boundary(*i)).unwrap_or(0);
    let line_end = after.find('\n').map(|i| at + i).unwrap_or(text.len());
    let cut = |s: &str, keep_end: bool| -> String {
        let n = s.chars().count();
        if n <= 120 {
            s.to_string()
        } else if keep_end {
            format!("…{}", s.chars().skip(n - 120).collect::<String>())
        } else {
            format!("{}…", s.chars().take(120).collect::<String>())
        }
    };
    let mut lines = vec![];
    let prev: Vec<&str> = text[..line_start].lines().collect();
    for (k, l) in prev.iter().rev().take(2).rev().enumerate() {
        let n = line.saturating_sub((prev.len().min(2) - k) as u32);
        lines.push((n, cut(l, true), String::new(), String::new()));
    }
    lines.push((
        line,
        cut(&text[line_start..at], true),
        after[..mark_len].to_string(),
        cut(&text[at + mark_len..line_end.max(at + mark_len)], false),
    ));
    for (k, l) in text[line_end.min(text.len())..].lines().skip(1).take(2).enumerate() {
        lines.push((line + 1 + k as u32, cut(l, false), String::new(), String::new()));
    }
    // The first line of a slice may be partial: it is cut at the slice's start, marked by "…".
    Excerpt { lines }
}
