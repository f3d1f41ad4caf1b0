//! A second community on the same server, made the way an operator makes one: its files
//! imported with the import's own service (`jiayuan-server import`).
#![allow(dead_code)]

use jiayuan_community::action_log::Actor;
use jiayuan_community::import::{ImportFiles, import};

use super::{OFFSET, TestServer};

pub const OTHER_SITE: &str = "site-other";
pub const OTHER_ROOM: &str = "room-other";
pub const OTHER_RESIDENT: &str = "resident-other";
/// A name nobody of the demo community has: a page that shows it leaked another site's roster.
pub const OTHER_NAME: &str = "欧阳外人";
pub const OTHER_ACTIVITY: &str = "activity-other";
pub const OTHER_TITLE: &str = "别处的书法课";

/// Imports the other community: a room, a resident and an activity today.
pub async fn other_community(server: &TestServer) {
    let today = jiayuan_community::community_time::today(OFFSET);
    let rooms = format!("id,name_zh_hans\n{OTHER_ROOM},别处的活动室\n");
    let residents = format!("id,full_name,phone_last4\n{OTHER_RESIDENT},{OTHER_NAME},4321\n");
    let activities = format!(
        "id,room_id,date,starts,ends,title_zh_hans,host_zh_hans,capacity\n\
         {OTHER_ACTIVITY},{OTHER_ROOM},{},09:00,10:00,{OTHER_TITLE},别处老师,10\n",
        jiayuan_community::schedule::format_day(today)
    );
    let files = ImportFiles {
        rooms: Some(("rooms.csv".to_owned(), rooms.as_bytes())),
        residents: Some(("residents.csv".to_owned(), residents.as_bytes())),
        activities: Some(("activities.csv".to_owned(), activities.as_bytes())),
        recurring: None,
    };
    import(&server.db, &Actor::CommandLine, OTHER_SITE, files, today).await.expect("import the other community");
}
