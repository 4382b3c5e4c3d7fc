//! The public handle: start, drive and inspect a running simulator.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::batch;
use super::build::id_from;
use super::clock::to_datetime;
use super::logs;
use super::server::{serve, Shared};
use super::state::SimState;
use super::{BatchSpec, BuildSpec, Fault, RecordedRequest, SimConfig};

/// A running simulator. Clones share the same simulator; it runs until
/// [`SimHandle::shutdown`] (or until the tokio runtime ends).
#[derive(Clone)]
pub struct SimHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("addr", &self.addr)
            .finish()
    }
}

impl SimHandle {
    /// Binds 127.0.0.1, builds the scenario and starts serving in the background.
    pub async fn start(cfg: SimConfig) -> std::io::Result<SimHandle> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, cfg.port)).await?;
        let addr = listener.local_addr()?;
        let (shutdown, _) = watch::channel(false);
        let shared = Arc::new(Shared {
            state: Mutex::new(SimState::new(&cfg)),
            shutdown,
        });
        tokio::spawn(serve(listener, Arc::clone(&shared)));
        Ok(SimHandle { shared, addr })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// e.g. "http://127.0.0.1:4567", ready for `--endpoint-url`.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Moves the sim clock forward; builds progress and new ones arrive.
    pub fn advance(&self, secs: f64) {
        self.shared.lock().advance(secs);
    }

    pub fn now(&self) -> DateTime<Utc> {
        to_datetime(self.shared.lock().now())
    }

    /// The next `count` requests (CodeBuild or CloudWatch Logs) get
    /// `fault`, after any faults injected earlier have been used up.
    pub fn inject(&self, fault: Fault, count: u32) {
        self.shared.lock().inject(fault, count);
    }

    pub fn clear_faults(&self) {
        self.shared.lock().clear_faults();
    }

    /// Every request (CodeBuild or CloudWatch Logs) received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }

    /// Adds a build whose life is fully planned and returns its id.
    ///
    /// # Panics
    /// If `spec` names an unknown project or phase.
    pub fn add_build(&self, spec: BuildSpec) -> String {
        self.shared.lock().add_fixture(spec)
    }

    /// Adds a batch build whose groups are fully planned and returns its id
    /// (`<project>:<uuid>`). Groups due in the past have started already.
    ///
    /// # Panics
    /// If `spec` names an unknown project or phase.
    pub fn add_batch(&self, spec: BatchSpec) -> String {
        batch::add_fixture(&mut self.shared.lock(), spec)
    }

    /// Every line of the build's CloudWatch log visible now, oldest first,
    /// exactly as GetLogEvents returns them; empty while the stream does
    /// not exist (or never will). Takes a build id or ARN.
    pub fn log_lines(&self, build_id: &str) -> Vec<String> {
        let mut state = self.shared.lock();
        state.catch_up();
        let now = state.now();
        state
            .get(id_from(build_id))
            .map(|build| logs::events_at(build, now))
            .unwrap_or_default()
            .into_iter()
            .map(|event| event.message)
            .collect()
    }

    /// Stops accepting connections and closes open ones.
    pub fn shutdown(&self) {
        self.shared.shutdown.send_replace(true);
    }
}

/// Runs the simulator for `cbdash sim` until Ctrl-C.
pub async fn serve_until_ctrl_c(cfg: SimConfig) -> std::io::Result<()> {
    let (seed, speed) = (cfg.seed, cfg.speed);
    let sim = SimHandle::start(cfg).await?;
    let url = sim.endpoint_url();
    println!("CodeBuild simulator listening on {url} (seed {seed}, speed {speed})");
    println!("  aws --endpoint-url {url} codebuild list-builds");
    println!(
        "  aws --endpoint-url {url} logs get-log-events --log-group-name /aws/codebuild/<project> \
         --log-stream-name <build uuid> --start-from-head"
    );
    tokio::signal::ctrl_c().await?;
    sim.shutdown();
    Ok(())
}
