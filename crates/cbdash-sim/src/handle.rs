//! The public handle: start, drive and inspect a running simulator.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::catalog::Place;
use super::server::{serve, Shared};
use super::world::SimWorld;
use super::{BatchSpec, BuildSpec, Fault, FaultScope, RecordedRequest, SimConfig};

/// A running simulator. Clones share the same simulator; it runs until
/// [`SimHandle::shutdown`] (or until the tokio runtime ends).
///
/// Its methods act on the default world (account 123456789012,
/// us-east-1); [`SimHandle::world`] reaches the others.
#[derive(Clone)]
pub struct SimHandle {
    shared: Arc<Shared>,
    default: SimWorld,
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
        let shared = Arc::new(Shared::new(cfg, shutdown));
        let default = SimWorld::new(shared.world(&Place::default()));
        tokio::spawn(serve(listener, Arc::clone(&shared)));
        Ok(SimHandle {
            shared,
            default,
            addr,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// e.g. "http://127.0.0.1:4567", ready for `--endpoint-url`.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The world of `account` in `region`, built (with the simulator's
    /// scenario and a seed of its own) if no request has reached it yet.
    /// Requests signed with an access key holding `account` (see the
    /// README) for `region` reach the same world.
    pub fn world(&self, account: &str, region: &str) -> SimWorld {
        let place = Place {
            account: account.to_string(),
            region: region.to_string(),
        };
        SimWorld::new(self.shared.world(&place))
    }

    /// How many worlds exist so far, the default one included.
    pub fn world_count(&self) -> usize {
        self.shared.world_count()
    }

    /// Moves the sim clock (of every world) forward; the default world's
    /// builds progress and new ones arrive, other worlds catch up when
    /// next asked.
    pub fn advance(&self, secs: f64) {
        self.default.advance(secs);
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.default.now()
    }

    /// The next `count` requests (CodeBuild or CloudWatch Logs) get
    /// `fault`, after any faults injected earlier have been used up.
    pub fn inject(&self, fault: Fault, count: u32) {
        self.default.inject(fault, count);
    }

    /// As [`SimWorld::inject_for`]: only requests within `scope`, and
    /// `u32::MAX` for good.
    pub fn inject_for(&self, fault: Fault, scope: FaultScope, count: u32) {
        self.default.inject_for(fault, scope, count);
    }

    pub fn clear_faults(&self) {
        self.default.clear_faults();
    }

    /// Every request (CodeBuild or CloudWatch Logs) the default world
    /// received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.default.requests()
    }

    pub fn clear_requests(&self) {
        self.default.clear_requests();
    }

    /// Adds a build whose life is fully planned and returns its id.
    ///
    /// # Panics
    /// If `spec` names an unknown project or phase.
    pub fn add_build(&self, spec: BuildSpec) -> String {
        self.default.add_build(spec)
    }

    /// Adds a batch build whose groups are fully planned and returns its id
    /// (`<project>:<uuid>`). Groups due in the past have started already.
    ///
    /// # Panics
    /// If `spec` names an unknown project or phase.
    pub fn add_batch(&self, spec: BatchSpec) -> String {
        self.default.add_batch(spec)
    }

    /// Every line of the build's CloudWatch log visible now, oldest first,
    /// exactly as GetLogEvents returns them; empty while the stream does
    /// not exist (or never will). Takes a build id or ARN.
    pub fn log_lines(&self, build_id: &str) -> Vec<String> {
        self.default.log_lines(build_id)
    }

    /// Ids of the default world's builds running now, newest first.
    pub fn running_builds(&self) -> Vec<String> {
        self.default.running_builds()
    }

    /// Ids of the default world's batch builds in progress now.
    pub fn running_batches(&self) -> Vec<String> {
        self.default.running_batches()
    }

    /// Ids of the default world's builds started at or after `since`,
    /// newest first.
    pub fn builds_since(&self, since: DateTime<Utc>) -> Vec<String> {
        self.default.builds_since(since)
    }

    /// Stops accepting connections and closes open ones.
    pub fn shutdown(&self) {
        self.shared.shutdown.send_replace(true);
    }
}

/// Runs the simulator for `cbdash sim` until Ctrl-C.
pub async fn serve_until_ctrl_c(cfg: SimConfig) -> std::io::Result<()> {
    let (seed, speed, scenario) = (cfg.seed, cfg.speed, cfg.scenario);
    let sim = SimHandle::start(cfg).await?;
    let url = sim.endpoint_url();
    // A closed stdout (`| head`) is no reason to stop serving.
    use std::io::Write;
    let _ = writeln!(
        std::io::stdout(),
        "CodeBuild simulator listening on {url} (scenario {scenario:?}, seed {seed}, speed {speed})\n  \
         aws --endpoint-url {url} codebuild list-builds\n  \
         aws --endpoint-url {url} logs get-log-events --log-group-name /aws/codebuild/<project> \
         --log-stream-name <build uuid> --start-from-head"
    );
    tokio::signal::ctrl_c().await?;
    sim.shutdown();
    Ok(())
}
