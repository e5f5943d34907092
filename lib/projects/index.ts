/** Projects: phases around a delivery, attribution by scope, realised effect, portfolio and target planning. Pure. */
export * from "./phase";
export * from "./scope";
export * from "./impact";
export * from "./scoped-hours";
export * from "./portfolio";
export * from "./plan";
