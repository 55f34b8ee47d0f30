// The deterministic demo portfolio generator.
export {};
