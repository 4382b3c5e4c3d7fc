use std::time::Duration;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_codebuild::config::retry::RetryConfig;
use aws_sdk_codebuild::config::timeout::TimeoutConfig;
use aws_sdk_codebuild::config::Credentials;

use super::body_cap::{BodyCap, DEFAULT_MAX_RESPONSE_BYTES};
use super::CodeBuild;

/// Where and as whom to connect. Anything left `None` comes from aws-config's
/// default chain (environment, profiles, SSO, IMDS).
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// A static dummy access key, for the built-in simulator (which reads
    /// the account from it).
    pub static_key: Option<String>,
    /// Attempts per call, including the first (the SDK's standard retry mode).
    pub max_attempts: u32,
    /// Bytes of one response body read at most (0: 64 MB).
    pub max_response_bytes: u64,
}

impl ConnectOptions {
    pub fn for_simulator(endpoint_url: String) -> ConnectOptions {
        ConnectOptions {
            region: Some("us-east-1".into()),
            endpoint_url: Some(endpoint_url),
            static_key: Some("AKIDCBDASHDEMO".into()),
            ..ConnectOptions::default()
        }
    }
}

/// One HTTP client (its TLS roots, its connection pools) for every client
/// of every account and region, rather than one each: left to itself, each
/// SDK client builds its own default client.
fn shared_http() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    use aws_smithy_http_client::{Builder, ConnectorBuilder};
    static HTTP: std::sync::OnceLock<aws_smithy_runtime_api::client::http::SharedHttpClient> =
        std::sync::OnceLock::new();
    HTTP.get_or_init(|| {
        // As the SDK's default client is made (rustls with aws-lc, proxies
        // from the environment), with connectors cached per timeout settings.
        Builder::new().build_with_connector_fn(|settings, components| {
            let mut connector =
                ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::AwsLc));
            connector.set_connector_settings(settings.cloned());
            if let Some(components) = components {
                connector.set_sleep_impl(components.sleep_impl());
            }
            connector.set_proxy_config(Some(ProxyConfig::from_env()));
            connector.build()
        })
    })
    .clone()
}

/// Resolves configuration and builds the client. Credentials themselves are
/// resolved lazily by the SDK on the first call, so this returns quickly.
pub async fn connect(opts: &ConnectOptions) -> CodeBuild {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(profile) = &opts.profile {
        // A profile the user named wins over credentials in the
        // environment, as in the AWS CLI: the calls go to the account the
        // user chose, never to whatever AWS_ACCESS_KEY_ID says.
        loader = loader.profile_name(profile).credentials_provider(
            aws_config::profile::ProfileFileCredentialsProvider::builder()
                .profile_name(profile)
                .build(),
        );
    }
    if let Some(region) = &opts.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(key) = &opts.static_key {
        loader = loader.credentials_provider(Credentials::new(
            key.clone(),
            "cbdash-demo-secret",
            None,
            None,
            "cbdash-demo",
        ));
    }
    loader = loader.http_client(shared_http());
    let shared = loader.load().await;
    let limit = match opts.max_response_bytes {
        0 => DEFAULT_MAX_RESPONSE_BYTES,
        n => n,
    };
    let attempts = if opts.max_attempts == 0 {
        3
    } else {
        opts.max_attempts
    };
    // Every client: answers capped in size, the same retries and timeouts.
    macro_rules! configured {
        ($sdk:ident, $service:literal) => {
            $sdk::config::Builder::from(&shared)
                .interceptor(BodyCap {
                    service: $service,
                    limit,
                })
                .retry_config(RetryConfig::standard().with_max_attempts(attempts))
                .timeout_config(timeouts())
                .build()
        };
    }
    let config = configured!(aws_sdk_codebuild, "codebuild");
    let logs = configured!(aws_sdk_cloudwatchlogs, "logs");
    let sts = configured!(aws_sdk_sts, "sts");
    let metrics = configured!(aws_sdk_cloudwatch, "monitoring");
    let region = shared.region().map(|r| r.to_string());
    CodeBuild::new(
        aws_sdk_codebuild::Client::from_conf(config),
        aws_sdk_cloudwatchlogs::Client::from_conf(logs),
        aws_sdk_sts::Client::from_conf(sts),
        aws_sdk_cloudwatch::Client::from_conf(metrics),
        region,
    )
}

/// The same bounds for every client: a call that hangs fails in time.
fn timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(3))
        .operation_attempt_timeout(Duration::from_secs(10))
        .operation_timeout(Duration::from_secs(25))
        .build()
}
