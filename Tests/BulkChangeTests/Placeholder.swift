import Testing

@Test func placeholderBulkChangeTests() {}
