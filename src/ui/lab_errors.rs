//! The one place where the lab's errors become sentences in the user's language.

use crate::lab::stepped::{Cause, Problem, Refusal};
use crate::lab::{LabError, WorkerKind};
use crate::lesson::Language;

/// `error` as the app shows it in `lang`.
pub fn lab_error_text(error: &LabError, lang: Language) -> String {
    match lang {
        Language::En => error.to_string(),
        Language::Ko => korean(error),
    }
}

fn kind_ko(kind: WorkerKind) -> &'static str {
    match kind {
        WorkerKind::Thread => "스레드",
        WorkerKind::Process => "프로세스",
    }
}

/// Why tracing was refused, and what would allow it, in Korean.
fn untraceable_ko(refusal: &Refusal) -> String {
    let mut text = format!(
        "ProcLab이 자기 자식 프로세스를 추적할 수 없습니다 ({}",
        refusal.operation
    );
    if let Some(errno) = &refusal.errno {
        text.push_str(&format!(", {errno}"));
    }
    text.push_str(").");
    for cause in &refusal.causes {
        text.push(' ');
        text.push_str(&match cause {
            Cause::Platform { os, arch } => format!(
                "실제 스레드 단일 스텝에는 x86_64의 리눅스 ptrace가 필요한데, 여기는 {arch}의 {os}입니다."
            ),
            Cause::Seccomp { filters } => format!(
                "ProcLab이 컨테이너처럼 seccomp 필터 {filters}개 아래에서 실행 중이며, 이 필터가 \
                 ptrace를 막을 수 있습니다. 컨테이너 밖에서 실행하거나 ptrace를 허용하는 프로필로 \
                 실행하세요(Docker라면 --cap-add SYS_PTRACE)."
            ),
            Cause::Yama { scope } => format!(
                "kernel.yama.ptrace_scope가 {scope}입니다. 2는 CAP_SYS_PTRACE만, 3은 아무도 \
                 허용하지 않습니다. 1로 두면 프로그램이 자기 자식을 추적할 수 있습니다."
            ),
            Cause::AlreadyTraced { tracer } => format!(
                "프로세스 {tracer}(디버거)가 이미 자식을 추적하고 있습니다. 한 스레드의 추적자는 \
                 한 번에 하나뿐입니다."
            ),
            Cause::Unknown => "이 컴퓨터에서 원인을 찾지 못했습니다.".into(),
        });
    }
    text.push_str(" 시뮬레이션 게임에서는 같은 순서를 그대로 볼 수 있습니다.");
    text
}

/// What is wrong with a move of a schedule, in Korean.
fn problem_ko(problem: &Problem) -> String {
    match problem {
        Problem::Empty => "스케줄이 비어 있습니다.".into(),
        Problem::NoColon => "스레드:동작(0:load) 또는 kernel:밀리초 꼴로 쓰세요.".into(),
        Problem::NotAThread(who) => format!("{who:?}은(는) 스레드 번호가 아닙니다."),
        Problem::NoSuchThread { thread, last } => {
            format!("스레드 {thread}은(는) 없습니다. 스레드는 0부터 {last}까지입니다.")
        }
        Problem::OutOfRange { text, low, high } => {
            format!("{text:?}은(는) {low}부터 {high}까지의 수가 아닙니다.")
        }
        Problem::UnknownAction(what) => format!(
            "{what:?}은(는) load, add, store, inc, step, 명령어 개수 가운데 어느 것도 아닙니다."
        ),
    }
}

fn korean(error: &LabError) -> String {
    match error {
        LabError::OverCap {
            kind,
            asked,
            running,
            cap,
        } => {
            let kind = kind_ko(*kind);
            format!(
                "{kind} {running}개가 실행 중일 때 {asked}개를 더 요청했습니다. {kind}는 동시에 \
                 최대 {cap}개까지 실행할 수 있으므로 아무것도 시작하지 않았습니다."
            )
        }
        LabError::NoSuchWorker(id) => format!("작업자 {id}는 실행 중이 아닙니다."),
        LabError::StartFailed { kind, reason } => {
            format!("{}를 시작할 수 없었습니다: {reason}", kind_ko(*kind))
        }
        LabError::ChildEnded { pid, status } => {
            format!("자식 프로세스 {pid}가 스스로 끝났습니다 ({status}).")
        }
        LabError::ChildSilent {
            pid,
            seconds,
            program,
        } => format!(
            "자식 프로세스 {pid}가 {seconds}초 안에 보고하지 않아 종료했습니다 ({program}이(가) \
             ProcLab 프로그램인지 확인하세요)."
        ),
        LabError::ThreadEnded { tid } => format!("스레드 {tid}가 예기치 않게 끝났습니다."),
        LabError::MemoryMap(reason) => format!("프로그램의 섹션을 읽을 수 없었습니다: {reason}"),
        LabError::NoProgramFile => "ProcLab이 자기 프로그램 파일을 찾지 못했습니다.".into(),
        LabError::LabStart(reason) => format!("실험실을 시작할 수 없었습니다: {reason}"),
        LabError::Measurement(reason) => format!("측정에 실패했습니다: {reason}"),
        LabError::UnknownParam { family, name } => {
            format!("{family} 측정에는 {name} 매개변수가 없습니다.")
        }
        LabError::OutOfRange {
            name,
            value,
            low,
            high,
        } => {
            format!("{name} = {value}은(는) 범위를 벗어났습니다. 허용 범위는 {low}..={high}입니다.")
        }
        LabError::Cancelled => "표본을 하나도 재기 전에 취소했습니다.".into(),
        LabError::UnknownFamily(name) => format!("{name}(이)라는 측정은 없습니다."),
        LabError::Untraceable(refusal) => untraceable_ko(refusal),
        LabError::Schedule(e) => format!(
            "스케줄의 {}번째 동작({:?})을 읽을 수 없습니다: {}",
            e.position,
            e.text,
            problem_ko(&e.problem)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::stepped::ScheduleError;

    fn every_error() -> Vec<LabError> {
        vec![
            LabError::OverCap {
                kind: WorkerKind::Thread,
                asked: 70,
                running: 0,
                cap: 64,
            },
            LabError::NoSuchWorker(3),
            LabError::StartFailed {
                kind: WorkerKind::Process,
                reason: "No such file".into(),
            },
            LabError::ChildEnded {
                pid: 42,
                status: "signal 9".into(),
            },
            LabError::ChildSilent {
                pid: 42,
                seconds: 5,
                program: "proclab".into(),
            },
            LabError::ThreadEnded { tid: 7 },
            LabError::MemoryMap("denied".into()),
            LabError::NoProgramFile,
            LabError::LabStart("no threads".into()),
            LabError::Measurement("cancelled".into()),
            LabError::UnknownParam {
                family: "spawn-cost",
                name: "bananas".into(),
            },
            LabError::OutOfRange {
                name: "samples",
                value: 9,
                low: 10,
                high: 10000,
            },
            LabError::Cancelled,
            LabError::UnknownFamily("nope".into()),
            LabError::Untraceable(Refusal {
                operation: "attaching to thread 7 of child 5".into(),
                errno: Some("EPERM: Operation not permitted".into()),
                causes: vec![
                    Cause::Seccomp { filters: 2 },
                    Cause::Yama { scope: 3 },
                    Cause::AlreadyTraced { tracer: 99 },
                    Cause::Unknown,
                ],
            }),
            LabError::Untraceable(Refusal::platform()),
            LabError::Schedule(ScheduleError {
                position: 2,
                text: "5:load".into(),
                problem: Problem::NoSuchThread { thread: 5, last: 1 },
            }),
            LabError::Schedule(ScheduleError {
                position: 1,
                text: "kernel:0".into(),
                problem: Problem::OutOfRange {
                    text: "0".into(),
                    low: 1,
                    high: 1000,
                },
            }),
        ]
    }

    #[test]
    fn every_error_reads_in_korean_with_its_figures() {
        for error in every_error() {
            let ko = lab_error_text(&error, Language::Ko);
            let en = lab_error_text(&error, Language::En);
            assert!(
                ko.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)),
                "{ko}"
            );
            // Every number in the English sentence survives the translation.
            for number in en
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
            {
                assert!(ko.contains(number), "{number} missing from {ko}");
            }
        }
    }
}
