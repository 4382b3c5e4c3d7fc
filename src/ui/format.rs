use crate::text::duration;

/// When the poller tries again after a failure: "retry in 12s", or
/// "retrying…" once due or under way.
pub fn retry(state: &crate::app::State) -> String {
    let p = &state.poller;
    match p.next_at {
        Some(at) if !p.in_flight() && at > state.now => {
            // Rounded up: "retry in 0s" would read as a retry that never comes.
            let secs = ((at - state.now).num_milliseconds() + 999) / 1000;
            format!("retry in {}", duration(secs))
        }
        _ => "retrying…".into(),
    }
}
