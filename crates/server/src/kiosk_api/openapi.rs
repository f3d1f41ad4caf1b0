//! The API's OpenAPI document, generated from the handlers and the types they exchange, and
//! served at `/api/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::kiosk_api as routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Jiayuan community server", description = "Kiosks sync with the community server: pairing, pushing records, pulling changes."),
    paths(
        routes::health::health,
        routes::schedule::schedule,
        routes::sync::pair,
        routes::sync::push,
        routes::sync::pull,
    ),
    modifiers(&KioskCredentials)
)]
pub struct ApiDoc;

/// `Authorization: Bearer <kiosk id>.<secret>`, from pairing.
struct KioskCredentials;

impl Modify for KioskCredentials {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "kiosk",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("<kiosk id>.<secret>").build(),
            ),
        );
    }
}

/// `GET /api/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
