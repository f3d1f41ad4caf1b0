use clap::Parser;
use jiayuan_server::config::{Cli, Command};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    jiayuan_server::config::init_logging();
    let result = match cli.into_command() {
        Command::Serve(config) => jiayuan_server::serve::serve(config).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("jiayuan-server: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
