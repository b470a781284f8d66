import Testing

@Test func placeholderMailTests() {}
