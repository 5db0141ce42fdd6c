//! JSON Schemas of the YAML files, generated from the raw types so that they cannot drift.

use schemars::{Schema, generate::SchemaSettings};

use super::raw::{RawEntry, RawProvider, RawSite};

/// The schema of one kind of file, with the name it is published under.
pub(crate) struct NamedSchema {
    /// `entry`, `provider` or `site`.
    pub kind: &'static str,
    pub schema: Schema,
}

/// The schemas of entries, providers and `site.yaml`, in that order.
pub(crate) fn json_schemas() -> Vec<NamedSchema> {
    let generator = || SchemaSettings::draft07().into_generator();
    vec![
        NamedSchema {
            kind: "entry",
            schema: generator().into_root_schema_for::<RawEntry>(),
        },
        NamedSchema {
            kind: "provider",
            schema: generator().into_root_schema_for::<RawProvider>(),
        },
        NamedSchema {
            kind: "site",
            schema: generator().into_root_schema_for::<RawSite>(),
        },
    ]
}
