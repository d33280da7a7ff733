//! One Korean word per idea: the shipped lessons, the app's own text and every diagram's
//! captions use the terms in docs/glossary.toml and none of the words it says to avoid.

use std::path::Path;

use proclab::lesson::Language;
use proclab::sim::{
    Caption, context_switch, memory_layout, processes, program_vs_process, round_robin,
    shared_stack, threads,
};
use proclab::ui::strings::Msg;
use serde::Deserialize;

#[derive(Deserialize)]
struct Glossary {
    term: Vec<Term>,
}

#[derive(Deserialize)]
struct Term {
    en: String,
    ko: String,
    avoid: Vec<String>,
    /// A word allowed only beside `ko`.
    beside: Option<String>,
}

fn glossary() -> Glossary {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/glossary.toml");
    toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every rule `text` (from `place`) breaks.
fn problems(glossary: &Glossary, place: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for term in &glossary.term {
        for avoided in &term.avoid {
            if text.contains(avoided.as_str()) {
                found.push(format!(
                    "{place}: says {avoided:?}; use {:?} ({})",
                    term.ko, term.en
                ));
            }
        }
        if let Some(beside) = &term.beside
            && text.contains(beside.as_str())
            && !text.contains(term.ko.as_str())
        {
            found.push(format!(
                "{place}: says {beside:?} without {:?} ({})",
                term.ko, term.en
            ));
        }
    }
    found
}

/// Every Korean caption of every diagram, with the parameters that change its words.
fn captions() -> Vec<(String, Caption)> {
    let mut all = Vec::new();
    let mut add = |scene: &str, states: Vec<Caption>| {
        all.extend(states.into_iter().map(|c| (scene.to_owned(), c)));
    };
    for stack_limit in [3, 6, 12] {
        let script = memory_layout::script(&memory_layout::Params { stack_limit });
        add(
            "memory-layout",
            script.states().iter().map(|s| s.caption.clone()).collect(),
        );
    }
    for threads in [1, 3, 8] {
        let script = threads::script(&threads::Params { threads });
        add(
            "threads",
            script.states().iter().map(|s| s.caption.clone()).collect(),
        );
    }
    for ipc in processes::Ipc::ALL {
        let script = processes::script(&processes::Params { ipc });
        add(
            "processes",
            script.states().iter().map(|s| s.caption.clone()).collect(),
        );
    }
    for pcid in [false, true] {
        let script = context_switch::script(&context_switch::Params { pcid });
        add(
            "context-switch",
            script.states().iter().map(|s| s.caption.clone()).collect(),
        );
    }
    use context_switch::TlbTagging;
    for tagging in [
        TlbTagging::Pcid { invpcid: true },
        TlbTagging::Asid,
        TlbTagging::Untagged,
        TlbTagging::Unknown,
    ] {
        add(
            "context-switch note",
            vec![context_switch::machine_note(tagging)],
        );
    }
    let script = shared_stack::script(&Default::default());
    add(
        "shared-stack",
        script.states().iter().map(|s| s.caption.clone()).collect(),
    );
    let script = program_vs_process::script(&Default::default());
    add(
        "program-vs-process",
        script.states().iter().map(|s| s.caption.clone()).collect(),
    );
    for tasks in [1, 3, 8] {
        let script = round_robin::script(&round_robin::Params::example(tasks));
        add(
            "time-slicing",
            script.states().iter().map(|s| s.caption.clone()).collect(),
        );
    }
    all
}

#[test]
fn lessons_ui_text_and_captions_use_the_glossary_terms() {
    let glossary = glossary();
    let mut found = Vec::new();
    let lessons = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    for entry in std::fs::read_dir(lessons).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Each step is one text for the beside rule: a step that says 문맥 교환 says both.
        for (i, step) in text.split("[[steps]]").enumerate() {
            found.extend(problems(
                &glossary,
                &format!("{} step {i}", path.display()),
                step,
            ));
        }
    }
    for msg in Msg::ALL {
        found.extend(problems(
            &glossary,
            &format!("{msg:?}"),
            msg.text(Language::Ko),
        ));
    }
    for (scene, caption) in captions() {
        found.extend(problems(&glossary, &scene, &caption.ko));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_check_catches_a_planted_variant_and_a_lone_beside_word() {
    let glossary = glossary();
    assert!(!glossary.term.is_empty());
    for term in &glossary.term {
        for avoided in &term.avoid {
            let planted = format!("이 문장에는 {avoided}가 있습니다.");
            assert_eq!(
                problems(&glossary, "planted", &planted).len(),
                1,
                "{avoided}"
            );
        }
        let fine = format!("이 문장은 {}를 씁니다.", term.ko);
        assert!(problems(&glossary, "fine", &fine).is_empty(), "{}", term.ko);
    }
    assert_eq!(
        problems(&glossary, "lone", "문맥 교환이 일어납니다").len(),
        1
    );
    assert!(problems(&glossary, "both", "컨텍스트 스위칭(문맥 교환)이 일어납니다").is_empty());
}
