//! `/console/sites` (社区): administrators add rooms to their site; an administrator of every
//! site also adds communities. The rules are `jiayuan_community::office::sites`.

pub mod routes;
