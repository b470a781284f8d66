/// Placeholder until the pipeline lands.
enum PipelinePlaceholder {}
