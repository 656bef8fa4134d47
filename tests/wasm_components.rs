//! Component tests in a real browser (wasm-bindgen-test in headless Chromium): every shared
//! component (the "Are You Sure?" dialog, status badges, the low-volume picture, `Modal`,
//! `Pager`, `ConfirmWord`, `FileDrop`, `Alert` and `ProblemList`, `ErrorSummary` and
//! `InlineError`, `PageHeading`, `YearSelect`, `Shell`) and the validator in wasm.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use mips_elections::api::{ElectionAvailability, EntityEligibility};
use mips_elections::app::components::{
    Alert, AlertKind, ConfirmElectionDialog, ConfirmWord, ErrorSummary, FieldError, FileDrop, InlineError,
    LowVolumePicture, Modal, PageHeading, Pager, ProblemList, Shell, StatusBadge, YearSelect,
};
use mips_elections::domain::{low_volume_threshold, LowVolumeAssessment, SpecialStatus, VolumeFigures};
use mips_elections::domain::{Determination, Election, ParticipationStatus, PerformanceYear};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlDialogElement, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> HtmlElement {
    let doc = document();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

fn find<T: JsCast>(root: &HtmlElement, selector: &str) -> T {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no element matches {selector}")).unchecked_into()
}

fn button_with_text(root: &HtmlElement, text: &str) -> HtmlElement {
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .map(|n| n.unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == text)
        .unwrap_or_else(|| panic!("no button named {text}"))
}

/// Other tests leave modal dialogs open, which makes the rest of the page inert (it can't take
/// focus); tests that check focus outside a dialog close them first.
fn close_open_dialogs() {
    let open = document().query_selector_all("dialog[open]").unwrap();
    for i in 0..open.length() {
        open.item(i).unwrap().unchecked_into::<HtmlDialogElement>().close();
    }
}

async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
}

struct Mounted {
    root: HtmlElement,
    open: RwSignal<Option<Election>>,
    confirmed: RwSignal<Vec<(Election, String)>>,
    server_error: RwSignal<Option<String>>,
}

fn mount_dialog() -> Mounted {
    let root = container();
    let open = RwSignal::new(None);
    let server_error = RwSignal::new(None::<String>);
    let confirmed = RwSignal::new(Vec::<(Election, String)>::new());
    let year = PerformanceYear::new(2026).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <ConfirmElectionDialog open entity_name="Dittrich, Krajíček and Urbanová" year
                on_confirm=Callback::new(move |args: (Election, String)| confirmed.update(|v| v.push(args)))
                pending=Signal::derive(|| false)
                server_error=server_error/>
        }
    });
    // Keep the component mounted for the rest of the test.
    std::mem::forget(handle);
    Mounted { root, open, confirmed, server_error }
}

#[wasm_bindgen_test]
async fn dialog_opens_modal_with_the_consequence_and_the_guide_button() {
    let m = mount_dialog();
    settle().await;
    let dialog: HtmlDialogElement = find(&m.root, "dialog");
    assert!(!dialog.open(), "closed until an option is chosen");
    m.open.set(Some(Election::OptIn));
    settle().await;
    assert!(dialog.open(), "showModal() was called");
    let text = dialog.text_content().unwrap();
    assert!(text.contains("Are You Sure?"));
    assert!(text.contains(
        "By opting-in, Dittrich, Krajíček and Urbanová will become MIPS eligible for the 2026 performance year"
    ));
    button_with_text(&m.root, "I'm Sure, Confirm Opt In");
    button_with_text(&m.root, "Cancel and Go Back");
    assert_eq!(dialog.get_attribute("aria-labelledby").as_deref(), Some("confirm-title"));
}

#[wasm_bindgen_test]
async fn a_wrong_word_shows_an_inline_error_and_does_not_confirm() {
    let m = mount_dialog();
    m.open.set(Some(Election::ReportVoluntarily));
    settle().await;
    let input: HtmlInputElement = find(&m.root, "#confirm-word");
    // Empty first.
    button_with_text(&m.root, "I'm Sure, Report Voluntarily").click();
    settle().await;
    assert!(find::<HtmlElement>(&m.root, "#confirm-word-error")
        .text_content()
        .unwrap()
        .contains("Type CONFIRM in the box"));
    type_into(&input, "yes");
    button_with_text(&m.root, "I'm Sure, Report Voluntarily").click();
    settle().await;
    let error = find::<HtmlElement>(&m.root, "#confirm-word-error").text_content().unwrap();
    assert!(error.contains("You typed \"yes\""), "{error}");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(input.get_attribute("aria-describedby").unwrap().contains("confirm-word-error"));
    assert!(m.confirmed.get_untracked().is_empty(), "nothing confirmed");
    // The button stays enabled: the error explains instead.
    assert!(!button_with_text(&m.root, "I'm Sure, Report Voluntarily").has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn lower_case_confirm_with_spaces_confirms_the_chosen_election() {
    let m = mount_dialog();
    m.open.set(Some(Election::OptIn));
    settle().await;
    let input: HtmlInputElement = find(&m.root, "#confirm-word");
    type_into(&input, "  confirm ");
    button_with_text(&m.root, "I'm Sure, Confirm Opt In").click();
    settle().await;
    assert_eq!(m.confirmed.get_untracked(), vec![(Election::OptIn, "  confirm ".to_string())]);
    assert!(m.root.query_selector("#confirm-word-error").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn cancel_closes_and_reopening_starts_clean_and_server_errors_show() {
    let m = mount_dialog();
    m.open.set(Some(Election::OptIn));
    settle().await;
    let input: HtmlInputElement = find(&m.root, "#confirm-word");
    type_into(&input, "nope");
    button_with_text(&m.root, "I'm Sure, Confirm Opt In").click();
    settle().await;
    button_with_text(&m.root, "Cancel and Go Back").click();
    settle().await;
    let dialog: HtmlDialogElement = find(&m.root, "dialog");
    assert!(!dialog.open());
    assert_eq!(m.open.get_untracked(), None);
    m.open.set(Some(Election::OptIn));
    settle().await;
    assert_eq!(find::<HtmlInputElement>(&m.root, "#confirm-word").value(), "");
    assert!(m.root.query_selector("#confirm-word-error").unwrap().is_none());
    m.server_error.set(Some("An election to Opt-In was already made.".into()));
    settle().await;
    let alert: HtmlElement = find(&m.root, "[role=alert]");
    assert!(alert.text_content().unwrap().contains("already made"));
}

#[wasm_bindgen_test]
async fn status_badges_are_text() {
    let root = container();
    std::mem::forget(leptos::mount::mount_to(root.clone(), || {
        view! {
            <StatusBadge status=ParticipationStatus::OptInEligible/>
            <StatusBadge status=ParticipationStatus::EligibleViaOptIn/>
        }
    }));
    settle().await;
    let text = root.text_content().unwrap();
    assert!(
        text.contains("MIPS EXEMPT") && text.contains("Opt-in eligible") && text.contains("MIPS ELIGIBLE VIA OPT-IN"),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn low_volume_picture_says_in_words_what_the_bars_show() {
    let year = PerformanceYear::new(2021).unwrap();
    let threshold = low_volume_threshold(year).unwrap();
    // The guide's Pazderová practice: 33 patients, $50,027.00, 1,419 services.
    let figures = VolumeFigures { allowed_charges_cents: 5_002_700, medicare_patients: 33, covered_services: 1_419 };
    let assessment = LowVolumeAssessment::of(&figures, &threshold);
    let eligibility = EntityEligibility {
        determination: Determination::from_figures(&assessment),
        figures_provided: true,
        figures,
        threshold,
        assessment,
        low_volume_status: assessment.status(),
        status: ParticipationStatus::of(assessment.status(), None),
        status_explanation: String::new(),
        special_statuses: vec![SpecialStatus::Hpsa],
        mips_apm_participant: false,
        election: None,
        can_elect: ElectionAvailability { allowed: true, reason: None, never: false },
        pathway: None,
        offered_pathways: vec![],
    };
    let root = container();
    std::mem::forget(leptos::mount::mount_to(root.clone(), move || view! { <LowVolumePicture eligibility id="t"/> }));
    settle().await;
    let svg: web_sys::Element = find(&root, "svg");
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(svg.get_attribute("aria-labelledby").as_deref(), Some("t-title t-desc"));
    assert_eq!(
        find::<web_sys::Element>(&root, "#t-title").text_content().unwrap(),
        "Low-volume threshold: 1 of 3 criteria exceeded"
    );
    let desc = find::<web_sys::Element>(&root, "#t-desc").text_content().unwrap();
    assert!(desc.contains("Allowed charges: $50,027.00 against more than $90,000.00 — not exceeded."), "{desc}");
    assert!(desc.contains("Covered professional services: 1,419 against more than 200 — exceeded."), "{desc}");
    let verdicts: Vec<String> = (0..3)
        .map(|i| root.query_selector_all(".lvt-picture__verdict").unwrap().item(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(verdicts, vec!["Not exceeded", "Not exceeded", "Exceeded"]);
}

// ---- QPP JSON validation in wasm: the same findings as native --------------------------------

/// The files of `src/qpp/tests/files.rs`'s GOLDEN list, with their expected findings (written and
/// checked by the native test): the wasm build of the validator must produce them exactly.
const QPP_GOLDEN: &[(&str, &str, &str)] = &[
    (
        "submission-example-quality.json",
        include_str!("fixtures/qpp/submission-example-quality.json"),
        include_str!("fixtures/qpp/expected/submission-example-quality.json"),
    ),
    (
        "fuzz-seed.json",
        include_str!("fixtures/qpp/fuzz-seed.json"),
        include_str!("fixtures/qpp/expected/fuzz-seed.json"),
    ),
    ("cut-off.json", include_str!("fixtures/qpp/cut-off.json"), include_str!("fixtures/qpp/expected/cut-off.json")),
];

#[wasm_bindgen_test]
fn qpp_findings_in_wasm_match_native() {
    use mips_elections::qpp::catalogue::Index;
    let catalogue =
        Index::from_json(include_str!(concat!(env!("OUT_DIR"), "/qpp-catalogue-by-year/2025.json"))).unwrap();
    struct One(Index);
    impl mips_elections::qpp::rules::Catalogues for One {
        fn get(&self, year: u16) -> Option<&Index> {
            (year == self.0.year()).then_some(&self.0)
        }
    }
    let one = One(catalogue);
    for (name, input, expected) in QPP_GOLDEN {
        let input = input
            .replace("\"< performanceYearToBeReported >\"", "2025")
            .replace("< performanceYearToBeReported >", "2025");
        let report = mips_elections::qpp::validate(input.as_bytes(), &one, &mut |_| {});
        let actual = serde_json::to_string_pretty(&report.diagnostics).unwrap() + "\n";
        assert_eq!(&actual, expected, "{name}");
    }
}

// ---- shared components: each with its own test ------------------------------------------------

/// Waits for the browser's next task (dialog `close` events and `requestAnimationFrame`).
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn modal_opens_with_show_modal_takes_focus_and_gives_it_back() {
    let root = container();
    let open = RwSignal::new(false);
    let closed = RwSignal::new(0u32);
    let opened = RwSignal::new(0u32);
    let busy = RwSignal::new(false);
    std::mem::forget(leptos::mount::mount_to(root.clone(), move || {
        view! {
            <button type="button" id="modal-opener">"Open"</button>
            <Modal open on_close=Callback::new(move |_| { open.set(false); closed.update(|n| *n += 1) })
                labelledby="modal-title" focus="modal-field" return_focus="modal-opener"
                on_open=Callback::new(move |_| opened.update(|n| *n += 1)) busy>
                <h2 id="modal-title">"A question"</h2>
                <input id="modal-field" type="text"/>
            </Modal>
        }
    }));
    settle().await;
    let dialog: HtmlDialogElement = find(&root, "dialog");
    assert!(!dialog.open());
    assert_eq!(dialog.get_attribute("aria-labelledby").as_deref(), Some("modal-title"));
    open.set(true);
    settle().await;
    assert!(dialog.open(), "showModal() was called");
    assert_eq!(opened.get_untracked(), 1, "on_open ran before it showed");
    assert_eq!(document().active_element().unwrap().id(), "modal-field", "the named field has focus");
    // While busy, Escape (the dialog's cancel event) does not close it.
    busy.set(true);
    let cancel = web_sys::Event::new_with_event_init_dict("cancel", &{
        let init = web_sys::EventInit::new();
        init.set_cancelable(true);
        init
    })
    .unwrap();
    dialog.dispatch_event(&cancel).unwrap();
    assert!(cancel.default_prevented(), "a busy dialog refuses Escape");
    busy.set(false);
    open.set(false);
    settle().await;
    assert!(!dialog.open());
    next_task().await;
    assert_eq!(closed.get_untracked(), 1, "on_close ran once");
    assert_eq!(document().active_element().unwrap().id(), "modal-opener", "focus went back to the opener");
}

#[wasm_bindgen_test]
async fn pager_says_which_page_and_refuses_to_go_past_the_ends() {
    let root = container();
    let page = RwSignal::new(0usize);
    std::mem::forget(leptos::mount::mount_to(root.clone(), move || {
        view! { <Pager page pages=Signal::derive(|| 3) label="Results pages"/> }
    }));
    settle().await;
    let nav: HtmlElement = find(&root, "nav");
    assert_eq!(nav.get_attribute("aria-label").as_deref(), Some("Results pages"));
    let status = || find::<HtmlElement>(&root, "[role=status]").text_content().unwrap();
    assert_eq!(status(), "Page 1 of 3");
    assert_eq!(button_with_text(&root, "Previous page").get_attribute("aria-disabled").as_deref(), Some("true"));
    button_with_text(&root, "Previous page").click();
    settle().await;
    assert_eq!(page.get_untracked(), 0);
    button_with_text(&root, "Next page").click();
    button_with_text(&root, "Next page").click();
    settle().await;
    assert_eq!(status(), "Page 3 of 3");
    assert_eq!(button_with_text(&root, "Next page").get_attribute("aria-disabled").as_deref(), Some("true"));
    button_with_text(&root, "Next page").click();
    settle().await;
    assert_eq!(page.get_untracked(), 2, "no page past the last");
}

#[wasm_bindgen_test]
async fn confirm_word_names_its_hint_and_its_error() {
    let root = container();
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    std::mem::forget(leptos::mount::mount_to(root.clone(), move || {
        view! { <ConfirmWord id="word" typed error=error/> }
    }));
    settle().await;
    let input: HtmlInputElement = find(&root, "#word");
    let label: HtmlElement = find(&root, "label[for=word]");
    assert!(label.text_content().unwrap().contains("Please Type \"CONFIRM\""));
    assert_eq!(input.get_attribute("aria-describedby").as_deref(), Some("word-hint"));
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("false"));
    type_into(&input, "confirm");
    assert_eq!(typed.get_untracked(), "confirm");
    error.set(Some("You typed \"yes\".".into()));
    settle().await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(input.get_attribute("aria-describedby").as_deref(), Some("word-hint word-error"));
    assert!(find::<HtmlElement>(&root, "#word-error").text_content().unwrap().contains("Error: You typed"));
}

#[wasm_bindgen_test]
async fn file_drop_is_a_labelled_file_input_that_hands_over_the_files() {
    let root = container();
    let names = RwSignal::new(Vec::<String>::new());
    std::mem::forget(leptos::mount::mount_to(root.clone(), move || {
        view! {
            <FileDrop id="files" label="Choose QPP JSON files" hint="Up to 64 MB each." accept=".json"
                on_files=Callback::new(move |list: web_sys::FileList| {
                    names.set((0..list.length()).filter_map(|i| list.get(i)).map(|f| f.name()).collect())
                })/>
        }
    }));
    settle().await;
    let input: HtmlInputElement = find(&root, "#files");
    assert_eq!(input.type_(), "file");
    assert!(input.multiple());
    assert_eq!(input.get_attribute("aria-describedby").as_deref(), Some("files-hint"));
    assert_eq!(find::<HtmlElement>(&root, "label[for=files]").text_content().unwrap(), "Choose QPP JSON files");
    // Dragging over the zone shows it (in words the label already says: drop here).
    let zone: HtmlElement = find(&root, ".file-drop");
    zone.dispatch_event(&web_sys::Event::new("dragover").unwrap()).unwrap();
    settle().await;
    assert!(zone.class_name().contains("file-drop--active"));
    zone.dispatch_event(&web_sys::Event::new("dragleave").unwrap()).unwrap();
    settle().await;
    assert!(!zone.class_name().contains("file-drop--active"));
    // Choosing a file hands it over, then clears the input so the same file can be chosen again.
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str("{}"));
    let file = web_sys::File::new_with_str_sequence(&parts, "a.json").unwrap();
    let dt = web_sys::DataTransfer::new().unwrap();
    dt.items().add_with_file(&file).unwrap();
    input.set_files(dt.files().as_ref());
    input.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    settle().await;
    assert_eq!(names.get_untracked(), vec!["a.json".to_string()]);
    assert_eq!(input.value(), "");
}

#[wasm_bindgen_test]
async fn alerts_say_it_in_words_with_the_role_that_fits() {
    let root = container();
    let problems = RwSignal::new(Vec::<String>::new());
    std::mem::forget(leptos::mount::mount_to(root.clone(), move || {
        view! {
            <Alert kind=AlertKind::Error text="The upload was refused."/>
            <Alert kind=AlertKind::Success text="Saved."/>
            <ProblemList id="problems" problems/>
        }
    }));
    settle().await;
    assert_eq!(find::<HtmlElement>(&root, "[role=alert]").text_content().unwrap(), "The upload was refused.");
    assert_eq!(find::<HtmlElement>(&root, "[role=status]").text_content().unwrap(), "Saved.");
    assert!(root.query_selector("#problems").unwrap().is_none(), "no problems, no list");
    problems.set(vec!["Add at least one file.".into(), "Wait until every file has been checked.".into()]);
    settle().await;
    let list: HtmlElement = find(&root, "#problems");
    assert_eq!(list.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(list.get_attribute("tabindex").as_deref(), Some("-1"), "it can take focus to be announced");
    let text = list.text_content().unwrap();
    assert!(text.contains("There is a problem") && text.contains("Add at least one file."), "{text}");
}

#[wasm_bindgen_test]
async fn error_summary_takes_focus_and_links_each_problem_to_its_field() {
    close_open_dialogs();
    let root = container();
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let message = RwSignal::new(None::<String>);
    std::mem::forget(leptos::mount::mount_to(root.clone(), move || {
        view! {
            <ErrorSummary errors/>
            <label for="summary-field">"TIN"</label>
            <input id="summary-field" type="text" aria-describedby="summary-field-error"/>
            <InlineError id="summary-field-error" message/>
        }
    }));
    settle().await;
    assert!(root.query_selector("[role=alert]").unwrap().is_none(), "no summary without problems");
    assert!(root.query_selector(".ds-c-inline-error").unwrap().is_none());
    errors.set(vec![
        FieldError { field_id: "summary-field".into(), message: "Enter a TIN: 9 digits.".into() },
        FieldError { field_id: String::new(), message: "The server could not be reached.".into() },
    ]);
    message.set(Some("Enter a TIN: 9 digits.".into()));
    settle().await;
    next_task().await;
    let summary: HtmlElement = find(&root, "[role=alert]");
    assert_eq!(summary.get_attribute("aria-labelledby").as_deref(), Some("error-summary-title"));
    assert_eq!(
        find::<HtmlElement>(&root, "#error-summary-title").text_content().as_deref(),
        Some("There is a problem")
    );
    let active = document().active_element().unwrap();
    assert!(
        active.is_same_node(Some(&summary)),
        "the summary takes focus; focus is on <{}> class={:?} id={:?}; summary tabindex={:?}",
        active.tag_name(),
        active.class_name(),
        active.id(),
        summary.get_attribute("tabindex")
    );
    let link: HtmlElement = find(&summary, "a[href='#summary-field']");
    assert_eq!(link.text_content().as_deref(), Some("Enter a TIN: 9 digits."));
    let items = summary.query_selector_all("li").unwrap();
    assert_eq!(items.length(), 2);
    assert!(
        summary.query_selector("a:not([href='#summary-field'])").unwrap().is_none(),
        "a problem without a field is text"
    );
    link.click();
    assert_eq!(document().active_element().unwrap().id(), "summary-field", "the link moves focus to its field");
    let inline: HtmlElement = find(&root, "#summary-field-error");
    assert_eq!(
        inline.text_content().as_deref(),
        Some("Error: Enter a TIN: 9 digits."),
        "the inline error says Error in words"
    );
    errors.set(vec![]);
    settle().await;
    assert!(root.query_selector("[role=alert]").unwrap().is_none(), "the summary goes when the problems are fixed");
}

#[wasm_bindgen_test]
async fn page_heading_is_the_one_h1_names_the_title_and_takes_focus() {
    close_open_dialogs();
    let root = container();
    let text = RwSignal::new("Eligibility & Reporting".to_string());
    std::mem::forget(leptos::mount::mount_to(root.clone(), move || {
        view! { <leptos_router::components::Router><PageHeading text/></leptos_router::components::Router> }
    }));
    settle().await;
    let h1: HtmlElement = find(&root, "h1");
    assert_eq!(root.query_selector_all("h1").unwrap().length(), 1);
    assert_eq!(h1.text_content().as_deref(), Some("Eligibility & Reporting"));
    assert_eq!(h1.get_attribute("tabindex").as_deref(), Some("-1"), "focusable by script, not in the tab order");
    assert!(document().title().starts_with("Eligibility & Reporting | "), "title {}", document().title());
    assert!(document().active_element().unwrap().is_same_node(Some(&h1)), "the h1 has focus after the route renders");
    text.set("Practice Details".into());
    settle().await;
    assert_eq!(h1.text_content().as_deref(), Some("Practice Details"));
    assert!(document().title().starts_with("Practice Details | "), "the title follows the heading");
}

fn year_info(year: u16) -> mips_elections::api::PerformanceYearInfo {
    mips_elections::api::PerformanceYearInfo {
        performance_year: PerformanceYear::new(year).unwrap(),
        window: None,
        window_phase: None,
        threshold: None,
        threshold_verified: false,
        data_runs: vec![],
    }
}

#[wasm_bindgen_test]
async fn year_select_is_a_labelled_choice_applied_by_its_button() {
    let root = container();
    let chosen = RwSignal::new(Vec::<u16>::new());
    std::mem::forget(leptos::mount::mount_to(root.clone(), move || {
        view! {
            <YearSelect years=vec![year_info(2024), year_info(2025), year_info(2026)]
                selected=PerformanceYear::new(2025).unwrap()
                on_change=move |y: PerformanceYear| chosen.update(|v| v.push(y.get()))/>
        }
    }));
    settle().await;
    let select: web_sys::HtmlSelectElement = find(&root, "select");
    let label: HtmlElement = find(&root, "label");
    assert_eq!(label.get_attribute("for").as_deref(), Some(select.id().as_str()));
    assert_eq!(label.text_content().as_deref(), Some("Performance Year"));
    assert_eq!(select.value(), "2025", "the current year is selected");
    let options = select.query_selector_all("option").unwrap();
    assert_eq!(options.length(), 3);
    assert_eq!(options.item(0).unwrap().text_content().as_deref(), Some("Performance Year 2024"));
    select.set_value("2026");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    assert!(chosen.get_untracked().is_empty(), "choosing alone changes nothing: the button applies it");
    button_with_text(&root, "View year").click();
    settle().await;
    assert_eq!(chosen.get_untracked(), vec![2026]);
}

#[wasm_bindgen_test]
async fn shell_has_the_landmarks_a_skip_link_and_the_signed_in_navigation() {
    use mips_elections::api::{SessionInfo, UserRole, UserSummary};
    use mips_elections::app::context::AppContext;
    let root = container();
    let session = RwSignal::new(None::<SessionInfo>);
    std::mem::forget(leptos::mount::mount_to(root.clone(), move || {
        let years = LocalResource::new(|| async {
            Err(mips_elections::app::client::ClientError::Network("not used in this test".into()))
        });
        provide_context(AppContext { session, years });
        view! {
            <leptos_router::components::Router>
                <Shell><p id="shell-content">"Content"</p></Shell>
            </leptos_router::components::Router>
        }
    }));
    settle().await;
    let skip: HtmlElement = find(&root, "a.ds-c-skip-nav");
    assert_eq!(skip.get_attribute("href").as_deref(), Some("#main-content"));
    assert_eq!(skip.text_content().as_deref(), Some("Skip to main content"));
    let main: HtmlElement = find(&root, "main#main-content");
    assert!(main.query_selector("#shell-content").unwrap().is_some(), "the page is inside main");
    assert!(root.query_selector("header").unwrap().is_some() && root.query_selector("footer").unwrap().is_some());
    let nav: HtmlElement = find(&root, "nav[aria-label=Main]");
    let names = |nav: &HtmlElement| -> Vec<String> {
        let links = nav.query_selector_all("a").unwrap();
        (0..links.length()).filter_map(|i| links.item(i)).filter_map(|n| n.text_content()).collect()
    };
    assert_eq!(names(&nav), vec!["Validate a file", "Participation Status"], "a visitor sees only the public tools");
    assert!(find::<HtmlElement>(&root, "header").text_content().unwrap().contains("Sign in"));
    session.set(Some(SessionInfo {
        user: UserSummary {
            user_id: "demo-practice".into(),
            display_name: "Tessa H".into(),
            role: UserRole::PracticeRepresentative,
        },
        csrf_token: "t".into(),
        statement_of_truth_agreed_at: mips_elections::domain::Timestamp(0),
        expires_at: mips_elections::domain::Timestamp(0),
    }));
    settle().await;
    assert_eq!(names(&nav), vec!["Account Home", "Eligibility & Reporting", "Validate a file", "Participation Status"]);
    let header = find::<HtmlElement>(&root, "header").text_content().unwrap();
    assert!(header.contains("Tessa H"), "the signed-in user is named: {header}");
    button_with_text(&root, "Sign out");
}
