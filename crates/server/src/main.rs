use clap::Parser;
use jiayuan_server::config::{Cli, Command, DatabaseArgs};
use jiayuan_server::db::Database;
use jiayuan_server::kiosks;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    jiayuan_server::config::init_logging();
    match run(cli.into_command()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("jiayuan-server: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), Box<dyn std::error::Error>> {
    match command {
        Command::Serve(config) => jiayuan_server::serve::serve(config).await?,
        Command::PairingCode { room, database } => {
            let code = kiosks::create_pairing_code(&open(&database).await?, &room).await?;
            println!("Pairing code for {room}: {code}");
            println!("Type it on the kiosk's staff panel within 24 hours. It works once.");
        }
        Command::Kiosks { database } => {
            for kiosk in kiosks::list(&open(&database).await?).await? {
                let state = if kiosk.revoked_at.is_some() { "revoked" } else { "active" };
                println!("{}  {}  {state}  records applied: {}", kiosk.id, kiosk.room_id, kiosk.applied_through);
            }
        }
        Command::RevokeKiosk { kiosk_id, database } => {
            kiosks::revoke(&open(&database).await?, &kiosk_id).await?;
            println!("Revoked {kiosk_id}: the server refuses it from now on.");
        }
    }
    Ok(())
}

async fn open(database: &DatabaseArgs) -> Result<Database, jiayuan_server::db::DbError> {
    Database::open(database.database_url.as_deref(), &database.data_dir).await
}
