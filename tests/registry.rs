//! Every experiment a lesson can name has something that runs it, and everything the lab can
//! measure can be named in a lesson: the lesson format and the registries agree.

use proclab::lab::experiment::{FAMILIES, family};
use proclab::lesson::ExperimentKind;

/// Kinds that show the lab's live workers rather than run a measurement.
const LIVE: [ExperimentKind; 2] = [ExperimentKind::Workers, ExperimentKind::MemoryProbe];

#[test]
fn every_experiment_kind_is_live_or_a_registered_family() {
    for kind in ExperimentKind::ALL {
        let registered = family(kind.file_name());
        assert!(
            LIVE.contains(&kind) != registered.is_some(),
            "{} must be either live or a measurement family, not both or neither",
            kind.file_name()
        );
    }
}

#[test]
fn every_family_can_be_named_in_a_lesson() {
    for family in FAMILIES {
        let named = ExperimentKind::ALL
            .iter()
            .any(|k| k.file_name() == family.name);
        assert!(
            named,
            "{} has no ExperimentKind in the lesson format",
            family.name
        );
        let text = format!(
            "format = 1\ntitle.en = \"t\"\n[[steps]]\ntitle.en = \"s\"\nnarration.en = \"n\"\n\
             experiment = {{ kind = \"{}\" }}\n",
            family.name
        );
        proclab::lesson::parse(text.as_bytes(), "registry.toml").unwrap();
    }
}
