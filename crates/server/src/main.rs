use clap::Parser;
use jiayuan_community::action_log::Actor;
use jiayuan_community::db::Database;
use jiayuan_community::office::accounts::Role;
use jiayuan_community::office::staff::{self as staff, AccountForm};
use jiayuan_community::{import, kiosks};
use jiayuan_server::config::{Cli, Command, DatabaseArgs, LogFormat};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let command = Cli::parse().into_command();
    let log_format = match &command {
        Command::Serve(config) => config.log_format,
        _ => LogFormat::Text,
    };
    jiayuan_server::config::init_logging(log_format);
    match run(command).await {
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
        Command::PairingCode { room, minutes, utc_offset, database } => {
            let code =
                kiosks::pairing::create(&open(&database).await?, &database.secret_key()?, &room, minutes).await?;
            let expires = jiayuan_community::community_time::wall_clock(code.expires_at, utc_offset);
            println!("Pairing code for {room}: {}", code.code);
            println!("Type it on the kiosk's staff panel before {expires} ({minutes} minutes). It works once.");
        }
        Command::Import { site, rooms, residents, activities, recurring, utc_offset, database } => {
            let open_file = |path: Option<std::path::PathBuf>| -> std::io::Result<Option<(String, std::fs::File)>> {
                path.map(|path| Ok((path.display().to_string(), std::fs::File::open(&path)?))).transpose()
            };
            let files = import::ImportFiles {
                rooms: open_file(rooms)?,
                residents: open_file(residents)?,
                activities: open_file(activities)?,
                recurring: open_file(recurring)?,
            };
            let today = jiayuan_community::community_time::today(utc_offset);
            let report = import::import(&open(&database).await?, &Actor::CommandLine, &site, files, today).await?;
            println!(
                "Imported into {site}: {} rooms, {} residents, {} activities, {} recurring activities \
                 ({} sessions in the coming four weeks). Kiosks get them at their next sync.",
                report.rooms, report.residents, report.activities, report.recurring, report.sessions
            );
            if report.sessions_removed > 0 {
                println!(
                    "Removed {} sessions on days the recurring activities no longer have.",
                    report.sessions_removed
                );
            }
            if !report.sessions_kept.is_empty() {
                println!(
                    "Kept {} sessions on days the recurring activities no longer have, because residents have \
                     signed up for them: {}.",
                    report.sessions_kept.len(),
                    report.sessions_kept.join(", ")
                );
            }
        }
        Command::AddStaff { id, name, role, sites, database } => {
            let role =
                Role::parse(&role).ok_or_else(|| format!("unknown role {role:?}: administrator, staff or viewer"))?;
            let db = open(&database).await?;
            let mut tx = db.begin_write().await?;
            for site in &sites {
                jiayuan_community::sites::ensure(&mut tx, site).await?;
            }
            tx.commit().await?;
            let form = AccountForm { id: id.clone(), display_name: name, role, sites };
            let one_time = staff::add(&db, &Actor::CommandLine, &form)
                .await
                .map_err(|e| jiayuan_server::console::form::in_english(&e))?;
            println!("Made {} account {id}. One-time password: {one_time}", role.as_str());
            println!("Sign in at /console; the console asks for a new password first.");
        }
        Command::ResetPassword { id, database } => {
            let one_time = staff::reset_password(&open(&database).await?, &Actor::CommandLine, &id)
                .await
                .map_err(|e| jiayuan_server::console::form::in_english(&e))?;
            println!("New one-time password for {id}: {one_time}");
            println!("Every session of {id} has ended; the console asks for a new password at sign-in.");
        }
        Command::Kiosks { database } => {
            for kiosk in kiosks::list(&open(&database).await?).await? {
                let state = if kiosk.revoked_at.is_some() { "revoked" } else { "active" };
                println!("{}  {}  {state}  records applied: {}", kiosk.id, kiosk.room_id, kiosk.applied_through);
            }
        }
        Command::RebuildSummaries { utc_offset, database } => {
            let started = std::time::Instant::now();
            jiayuan_community::reports::presence::make_again(&open(&database).await?, utc_offset).await?;
            println!("Made the reports' summaries again in {:.1} s.", started.elapsed().as_secs_f64());
        }
        Command::Draw { activity, check: _, database } => {
            let check = jiayuan_community::draws::check(&open(&database).await?, &activity)
                .await?
                .ok_or_else(|| format!("{activity:?} is not a session whose seats are drawn"))?;
            println!("seed {}", check.seed);
            println!("place\tresident_id");
            for (place, resident) in check.order.iter().enumerate() {
                println!("{}\t{resident}", place.saturating_add(1));
            }
            if !check.drawn {
                println!("Not drawn yet: this is the order the seed gives the entries so far.");
            } else if check.agrees() {
                println!("The draw kept this order.");
            } else {
                return Err(format!("the draw kept another order: {}", check.kept.join(" ")).into());
            }
        }
        Command::Records { kiosk, database } => {
            let mut out =
                String::from("seq\trecord_id\taction\tresident_id\tactivity_id\thappened_at\tapplied_at\toutcome\n");
            for r in jiayuan_community::sync::records::for_kiosk(&open(&database).await?, &kiosk).await? {
                let blank = |text: Option<String>| text.unwrap_or_default();
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    r.seq,
                    r.record_id,
                    r.action,
                    blank(r.resident_id),
                    blank(r.activity_id),
                    r.happened_at,
                    r.applied_at,
                    r.outcome
                ));
            }
            print!("{out}");
        }
        Command::MakeCertificates { names, addresses, out, new_authority, data_dir } => {
            let dir = out.unwrap_or_else(|| data_dir.join("tls"));
            let made = jiayuan_server::certificates::make(&dir, &names, &addresses, new_authority)?;
            println!("{}", jiayuan_server::certificates::instructions(&made, "8443"));
        }
        Command::Backup { to, database } => {
            let db = open(&database).await?;
            let now = time::OffsetDateTime::now_utc();
            let path = to.unwrap_or_else(|| jiayuan_community::backups::file_for(&database.data_dir, now.date(), now));
            jiayuan_community::backups::backup_to(&db, &path).await?;
            println!("Backed up to {}", path.display());
        }
        Command::Restore { backup, data_dir } => {
            let kept = jiayuan_community::backups::restore(&data_dir, &backup)?;
            println!("Restored {}. The database it replaced is kept as {}.", backup.display(), kept.display());
            println!("Start the server: kiosks send again the records they hold that the backup is missing.");
        }
        Command::RevokeKiosk { kiosk_id, reason, database } => {
            let db = open(&database).await?;
            jiayuan_community::office::kiosks::revoke(&db, &Actor::CommandLine, None, &kiosk_id, &reason).await?;
            println!("Revoked {kiosk_id}: the server refuses it from now on.");
        }
    }
    Ok(())
}

async fn open(database: &DatabaseArgs) -> Result<Database, jiayuan_community::db::DbError> {
    Database::open(database.database_url.as_deref(), &database.data_dir).await
}
