// Shared by the fuzz targets: the test suite's mini catalog and index workout
// (tests/common/mini.rs), so fuzzing and the regression tests exercise an index alike.
#![allow(dead_code)]

include!("../../tests/common/mini.rs");
