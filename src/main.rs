use jiayuan_kiosk::{App, service_worker};

fn main() {
    console_error_panic_hook::set_once();
    service_worker::register();
    leptos::mount::mount_to_body(App);
}
