//! The timeline of an animated scene: which step is shown, how far its animation has run,
//! and whether it plays. Pure: time only moves when [`Timeline::advance`] is called.

/// Playback speeds offered, as multiples of normal.
pub const SPEEDS: [f32; 5] = [0.25, 0.5, 1.0, 2.0, 4.0];

/// How long one step lasts at normal speed, in seconds.
const SECONDS_PER_STEP: f32 = 1.6;

/// Position and playback state of a scene.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    step: usize,
    steps: usize,
    /// How far the animation into the current step has run, 0 to 1.
    phase: f32,
    playing: bool,
    speed: f32,
}

impl Timeline {
    /// At the first step, fully shown, paused, at normal speed.
    pub fn new(steps: usize) -> Self {
        Self {
            step: 0,
            steps: steps.max(1),
            phase: 1.0,
            playing: false,
            speed: 1.0,
        }
    }

    pub fn step(&self) -> usize {
        self.step
    }

    pub fn steps(&self) -> usize {
        self.steps
    }

    /// How far the move into the current step has run: 0 just arrived, 1 settled.
    pub fn phase(&self) -> f32 {
        self.phase
    }

    pub fn is_playing(&self) -> bool {
        self.playing
    }

    pub fn speed(&self) -> f32 {
        self.speed
    }

    /// True while something on screen is still moving.
    pub fn is_animating(&self) -> bool {
        self.playing || self.phase < 1.0
    }

    pub fn is_at_end(&self) -> bool {
        self.step + 1 >= self.steps
    }

    /// Starts playing; from the end, starts again from the beginning.
    pub fn play(&mut self) {
        if self.is_at_end() {
            self.restart();
        }
        self.playing = true;
    }

    pub fn pause(&mut self) {
        self.playing = false;
        // Paused in the hold after a move, the move is complete.
        self.phase = self.phase.min(1.0);
    }

    pub fn toggle_play(&mut self) {
        if self.playing {
            self.pause();
        } else {
            self.play();
        }
    }

    /// One step on, animated; stops playing.
    pub fn step_forward(&mut self) {
        self.playing = false;
        self.go_to(self.step + 1);
    }

    /// One step back, shown at once (rewinding does not replay the animation); stops playing.
    pub fn step_back(&mut self) {
        self.playing = false;
        if self.step > 0 {
            self.step -= 1;
            self.phase = 1.0;
        }
    }

    /// Straight to `step` (the last one if beyond), shown at once; stops playing.
    pub fn seek(&mut self, step: usize) {
        self.playing = false;
        self.step = step.min(self.steps().saturating_sub(1));
        self.phase = 1.0;
    }

    /// Back to the first step, paused.
    pub fn restart(&mut self) {
        self.step = 0;
        self.phase = 1.0;
        self.playing = false;
    }

    /// Sets the speed to the nearest offered one.
    pub fn set_speed(&mut self, speed: f32) {
        self.speed = SPEEDS
            .iter()
            .copied()
            .min_by(|a, b| (a - speed).abs().total_cmp(&(b - speed).abs()))
            .unwrap_or(1.0);
    }

    fn go_to(&mut self, step: usize) {
        let step = step.min(self.steps - 1);
        if step != self.step {
            self.step = step;
            self.phase = 0.0;
        }
    }

    /// Moves time on by `seconds`: the animation runs, and while playing the next step
    /// starts when the current one has been shown for its time. Returns true if anything
    /// changed.
    pub fn advance(&mut self, seconds: f32) -> bool {
        if !self.is_animating() || seconds <= 0.0 {
            return false;
        }
        let before = (self.step, self.phase);
        // Playing, a step's time is spent half moving in (phase 0 to 1) and half holding still
        // (1 to 2), so one unit of phase is half a step.
        let mut left = seconds * self.speed / (SECONDS_PER_STEP / 2.0);
        while left > 0.0 {
            let room = if self.playing {
                2.0 - self.phase
            } else {
                1.0 - self.phase
            };
            if left < room {
                self.phase = (self.phase + left).min(if self.playing { 2.0 } else { 1.0 });
                break;
            }
            left -= room;
            if self.playing && !self.is_at_end() {
                self.step += 1;
                self.phase = 0.0;
            } else {
                self.phase = 1.0;
                self.playing = false;
                break;
            }
        }
        if self.phase > 1.0 && !self.playing {
            self.phase = 1.0;
        }
        before != (self.step, self.phase)
    }

    /// The phase for drawing, never past 1 (playing, the extra half is the pause).
    pub fn visible_phase(&self) -> f32 {
        self.phase.min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepping_forward_then_back_returns_to_the_same_position() {
        let mut timeline = Timeline::new(5);
        timeline.step_forward();
        timeline.advance(10.0);
        timeline.step_back();
        assert_eq!((timeline.step(), timeline.visible_phase()), (0, 1.0));
    }

    #[test]
    fn playing_runs_through_every_step_and_stops_at_the_end() {
        let mut timeline = Timeline::new(3);
        timeline.play();
        let mut seen = vec![timeline.step()];
        for _ in 0..400 {
            timeline.advance(1.0 / 60.0);
            if seen.last() != Some(&timeline.step()) {
                seen.push(timeline.step());
            }
        }
        assert_eq!(seen, vec![0, 1, 2]);
        assert!(!timeline.is_playing());
        assert!(!timeline.is_animating());
    }

    #[test]
    fn speed_snaps_to_the_offered_speeds_and_scales_time() {
        let mut slow = Timeline::new(10);
        let mut fast = Timeline::new(10);
        slow.set_speed(0.3);
        fast.set_speed(3.9);
        assert_eq!((slow.speed(), fast.speed()), (0.25, 4.0));
        slow.play();
        fast.play();
        for _ in 0..120 {
            slow.advance(1.0 / 60.0);
            fast.advance(1.0 / 60.0);
        }
        assert!(fast.step() > slow.step());
    }

    #[test]
    fn a_paused_settled_timeline_does_not_ask_for_frames() {
        let mut timeline = Timeline::new(4);
        assert!(!timeline.advance(1.0));
        timeline.step_forward();
        assert!(timeline.is_animating());
        timeline.advance(5.0);
        assert!(!timeline.is_animating());
    }
}
