//! Jiayuan's build glue, run as `cargo xtask <command>` (alias in .cargo/config.toml).

mod bench;
mod chaos;
mod cmd;
mod csp;
mod kiosk_build;
mod minify;
mod package;
mod precache;
mod run_app;
mod soak;
mod tally;
mod test_run;
mod tools;

const USAGE: &str = "\
usage: cargo xtask <command>

  run [server flags]   install what is missing, build the kiosk, start the server with demo data
  test                 install what is missing and run every test layer
  bench                print the performance figures (first load, taps, sync, ingest)
  bench --company      a company town: 30 communities on one throwaway PostgreSQL, the head
                       office's figures for a month and the year next to one community's
  size                 build the kiosk and print only what its first load costs
  package [--server-bin F --kiosk-dir D --out D]  a Debian package of the server (target/deb/)
  chaos [kiosks] [records]  kiosks push through killed servers (50 × 2,000), on SQLite and PostgreSQL
  soak [kills]         kill the browser 1,000 times (or kills) around a saved record; print what was lost
  post-build           (Trunk's post_build hook) write the page's CSP and sw.js's file list";

fn main() {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    let result = match command.as_str() {
        "run" => run_app::run(&rest),
        "test" => test_run::run(),
        "bench" if rest.iter().any(|a| a == "--company") => bench::run_company(),
        "bench" => bench::run(),
        "size" => bench::kiosk_sizes(),
        "soak" => soak::run_soak(&rest),
        "chaos" => chaos::run_chaos(&rest),
        "package" => package::run_package(&rest),
        "post-build" => precache::run(),
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(message) = result {
        eprintln!("xtask {command}: {message}");
        std::process::exit(1);
    }
}
