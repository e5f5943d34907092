export * from "./incidents";
export * from "./catalog";
export * from "./config";
export * from "./imports";
export * from "./audit";
export * from "./auth";
export * from "./changes";
export * from "./sign-in";
