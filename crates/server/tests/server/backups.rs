//! Backups as an operator takes them: a consistent copy while the server runs, put back with
//! the server stopped (never under a running one), the database it replaced kept.

use std::process::Command;

use crate::binary::start;
use crate::support::TempDir;

fn server(data_dir: &TempDir, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_jiayuan-server"))
        .args(args)
        .env("JIAYUAN_DATA_DIR", data_dir.path())
        .output()
        .unwrap()
}

async fn rooms_served(data_dir: &TempDir, url: &str) -> usize {
    crate::binary::kiosk_schedule(data_dir, url).await["rooms"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_backup_taken_while_serving_is_restored_with_the_server_stopped() {
    let data_dir = TempDir::new("backup");
    let mut running = start(&data_dir, &[("JIAYUAN_DEMO_DATA", "true")]);
    assert_eq!(rooms_served(&data_dir, &running.kiosk_url).await, 3);
    let backup = data_dir.path().join("copy.sqlite3");
    let made = server(&data_dir, &["backup", "--to", backup.to_str().unwrap()]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(backup.is_file());

    let refused = server(&data_dir, &["restore", backup.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("stop it first"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    Command::new("kill").arg(running.child.id().to_string()).status().unwrap();
    running.child.wait().unwrap();
    let not_a_backup = data_dir.path().join("notes.txt");
    std::fs::write(&not_a_backup, "not a database").unwrap();
    assert!(!server(&data_dir, &["restore", not_a_backup.to_str().unwrap()]).status.success());
    let restored = server(&data_dir, &["restore", backup.to_str().unwrap()]);
    let printed = String::from_utf8_lossy(&restored.stdout);
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    assert!(printed.contains("before-restore"), "the replaced database is kept: {printed}");

    let again = start(&data_dir, &[]);
    assert_eq!(rooms_served(&data_dir, &again.kiosk_url).await, 3, "the restored database serves");
}
