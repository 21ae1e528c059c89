//! Turning fixed text back into the bytes of the file's own encoding: UTF-8 as
//! is (a BOM stays part of the text), latin-1 one byte per character, and any
//! other encoding a PEP 263 coding line declared through `encoding_rs`.

use crate::analysis::source::SourceEncoding;

/// Text that cannot be written in the file's encoding.
#[derive(Debug, thiserror::Error)]
#[error("the fixed text cannot be encoded as {0}, the file's declared encoding")]
pub struct EncodeError(pub &'static str);

/// Encodes `text` in `encoding`, refusing characters it cannot represent.
pub fn encode(text: &str, encoding: SourceEncoding) -> Result<Vec<u8>, EncodeError> {
    match encoding {
        SourceEncoding::Utf8 => Ok(text.as_bytes().to_vec()),
        SourceEncoding::Latin1 => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).map_err(|_| EncodeError(encoding.name())))
            .collect(),
        SourceEncoding::Declared(enc) => {
            let (bytes, _, had_errors) = enc.encode(text);
            if had_errors {
                Err(EncodeError(encoding.name()))
            } else {
                Ok(bytes.into_owned())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::SourceFile;
    use std::path::Path;

    #[test]
    fn round_trips_declared_encodings() {
        for bytes in [
            b"# -*- coding: latin-1 -*-\ns = '\xe9'\n".to_vec(),
            b"# coding: cp1252\ns = '\x80'\n".to_vec(),
            "\u{feff}s = '\u{e9}'\r\n".as_bytes().to_vec(),
        ] {
            let file = SourceFile::from_bytes(Path::new("x.py"), bytes.clone()).unwrap();
            assert_eq!(encode(file.text(), file.encoding()).unwrap(), bytes);
        }
        assert!(encode("s = '\u{20ac}'", SourceEncoding::Latin1).is_err());
    }
}
