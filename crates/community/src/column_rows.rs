//! Rows read from one JSON value of columns (`Backend::json_columns`): reports read thousands
//! of rows at once, and sqlx's `Any` driver costs about a microsecond for each value it hands
//! over. Each column is parsed straight into a vector of its type, then the vectors are zipped
//! into rows: no JSON object per row, no field looked up by name per row.

/// Declares a row struct and the struct of its columns (`$columns`), with the columns' names
/// (`$columns::NAMES`, the fields') and `$columns::rows(text)`, which reads a value of
/// `Backend::json_columns` made of columns of those names. Other columns in the value are
/// skipped, so two row structs may be read from one value.
macro_rules! column_rows {
    (
        $(#[$meta:meta])*
        $vis:vis struct $row:ident in $columns:ident {
            $($field:ident: $ty:ty),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $row {
            $($field: $ty),+
        }

        /// The rows' columns, as `Backend::json_columns` gives them.
        #[derive(serde::Deserialize)]
        struct $columns {
            $($field: Vec<$ty>),+
        }

        impl $columns {
            /// The columns' names, which are the fields'.
            #[allow(dead_code)] // not every reader names its columns from here
            const NAMES: &'static [&'static str] = &[$(stringify!($field)),+];

            /// The rows of `text`, one value of `Backend::json_columns`.
            fn rows(text: &str) -> Result<Vec<$row>, sqlx::Error> {
                let columns: $columns =
                    serde_json::from_str(text).map_err(|error| sqlx::Error::Decode(Box::new(error)))?;
                let lengths = [$(columns.$field.len()),+];
                let rows = lengths.first().copied().unwrap_or(0);
                if lengths.iter().any(|length| *length != rows) {
                    return Err(sqlx::Error::Protocol("columns of different lengths".into()));
                }
                $(let mut $field = columns.$field.into_iter();)+
                Ok((0..rows).filter_map(|_| Some($row { $($field: $field.next()?),+ })).collect())
            }
        }
    };
}

pub(crate) use column_rows;

#[cfg(test)]
mod tests {
    super::column_rows! {
        #[derive(Debug, PartialEq)]
        struct Row in RowColumns {
            id: String,
            seats: Option<i64>,
        }
    }

    #[test]
    fn columns_are_read_back_as_rows_and_columns_of_two_lengths_are_refused() {
        assert_eq!(RowColumns::NAMES, ["id", "seats"]);
        let rows = RowColumns::rows(r#"{"id": ["a", "b"], "seats": [3, null], "other": [1, 2]}"#).unwrap();
        assert_eq!(rows, [Row { id: "a".into(), seats: Some(3) }, Row { id: "b".into(), seats: None }]);
        assert_eq!(RowColumns::rows(r#"{"id": [], "seats": []}"#).unwrap(), []);
        assert!(RowColumns::rows(r#"{"id": ["a", "b"], "seats": [3]}"#).is_err());
    }
}
