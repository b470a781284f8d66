//! Read FILE end to end with the csv crate and print one result line:
//! `rust-csv: bytes=N records=N fields=N seconds=S MB/s=X records/s=Y` (MB = 1,000,000 bytes).
//! The header is not treated specially (has_headers(false)), so it counts as a record.

use std::time::Instant;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let path = match (args.next(), args.next()) {
        (Some(p), None) => p,
        _ => {
            eprintln!("usage: rust-csv-bench FILE");
            std::process::exit(2);
        }
    };
    let bytes = match std::fs::metadata(&path) {
        Ok(m) => m.len(),
        Err(e) => {
            eprintln!("rust-csv-bench: {}: {}", path.to_string_lossy(), e);
            std::process::exit(1);
        }
    };

    let start = Instant::now();
    let mut rdr = match csv::ReaderBuilder::new().has_headers(false).from_path(&path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("rust-csv-bench: {}: {}", path.to_string_lossy(), e);
            std::process::exit(1);
        }
    };
    let mut record = csv::ByteRecord::new();
    let mut records: u64 = 0;
    let mut fields: u64 = 0;
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {
                records += 1;
                fields += record.len() as u64;
            }
            Ok(false) => break,
            Err(e) => {
                eprintln!("rust-csv-bench: {}: {}", path.to_string_lossy(), e);
                std::process::exit(1);
            }
        }
    }
    let seconds = start.elapsed().as_secs_f64();

    println!(
        "rust-csv: bytes={} records={} fields={} seconds={:.3} MB/s={:.1} records/s={:.0}",
        bytes,
        records,
        fields,
        seconds,
        bytes as f64 / 1e6 / seconds,
        records as f64 / seconds
    );
}
