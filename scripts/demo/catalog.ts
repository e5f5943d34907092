/** The fictional organisation behind the demo data: its services, deploy systems, projects and stock phrases. */

export const DEMO_SERVICES = [
  { name: "webapp-backend", ownerTeam: "Core Platform" },
  { name: "webapp-frontend", ownerTeam: "Web Experience" },
  { name: "mobile", ownerTeam: "Mobile" },
  { name: "infra", ownerTeam: "Infrastructure" },
  { name: "search", ownerTeam: "Search" },
  { name: "payments-api", ownerTeam: "Payments" },
] as const;

export const DEMO_DEPLOY_SYSTEMS = [
  { name: "spinnaker", description: "Service deploys for the backend fleet" },
  { name: "argocd", description: "Kubernetes deploys for frontend and search" },
  { name: "config-pusher", description: "Dynamic configuration pushes" },
  { name: "flagship", description: "Feature-flag rollouts" },
  { name: "terraform-ci", description: "Infrastructure changes" },
  { name: "app-store-release", description: "Mobile app releases" },
] as const;

export type ChangeType = "code_deploy" | "config" | "feature_flag" | "infra" | "migration" | "dependency";

/** Which deploy system ships which kind of change. */
export const SYSTEM_FOR_CHANGE: Record<ChangeType, (service: string) => string> = {
  code_deploy: (s) => (s === "mobile" ? "app-store-release" : s === "webapp-frontend" || s === "search" ? "argocd" : "spinnaker"),
  config: () => "config-pusher",
  feature_flag: () => "flagship",
  infra: () => "terraform-ci",
  migration: () => "spinnaker",
  dependency: (s) => (s === "webapp-frontend" ? "argocd" : "spinnaker"),
};

export const FEATURES = ["login", "messaging", "checkout", "search", "notifications", "file-upload", "dashboard"] as const;

export const SERVICE_FEATURES: Record<string, readonly string[]> = {
  "webapp-backend": ["messaging", "notifications", "dashboard", "file-upload"],
  "webapp-frontend": ["login", "dashboard", "messaging"],
  mobile: ["login", "messaging", "notifications"],
  infra: ["login", "messaging", "checkout", "file-upload"],
  search: ["search"],
  "payments-api": ["checkout"],
};

export const CHANGE_TITLES: Record<ChangeType, readonly string[]> = {
  code_deploy: [
    "Elevated 5xx errors on {service} after release",
    "{feature} requests failing for a share of users",
    "Latency regression on {service} following deploy",
    "{feature} unavailable after new build rolled out",
    "Crash loop in {service} pods after deploy",
  ],
  config: [
    "Config push broke {feature} for some regions",
    "Rate-limit config change throttled {feature}",
    "Bad routing config sent traffic to drained hosts",
    "{feature} degraded after cache TTL config change",
  ],
  feature_flag: [
    "Feature flag exposed unfinished {feature} flow",
    "Flag rollout caused {feature} errors for beta cohort",
    "Enabling new {feature} pipeline overloaded {service}",
  ],
  infra: [
    "Load balancer change dropped connections to {service}",
    "DNS change made {service} unreachable in one region",
    "Instance type migration degraded {service}",
  ],
  migration: ["Schema migration locked table used by {feature}", "Backfill job saturated {service} database"],
  dependency: ["Library upgrade broke {feature} serialization", "TLS library update failed handshakes to {service}"],
};

export const CHANGE_DESCRIPTIONS: Record<ChangeType, readonly string[]> = {
  code_deploy: [
    "A new release of {service} introduced a regression. The deploy was rolled back and errors recovered.",
    "Errors began shortly after the {service} deploy reached production. We reverted the release.",
    "The release contained a bug in request handling; mitigated by rolling back to the previous version.",
  ],
  config: [
    "A configuration change pushed to {service} was invalid for some regions. The config change was reverted.",
    "A config push changed limits unexpectedly; reverting the config change restored service.",
  ],
  feature_flag: [
    "Turning on a feature flag for {feature} exposed a bug; the flag was turned off.",
    "The flag rollout reached more users than planned before errors were noticed; disabled the flag.",
  ],
  infra: ["An infrastructure change to {service} networking caused failures; the change was rolled back."],
  migration: ["A database migration held locks longer than expected, blocking writes for {feature}."],
  dependency: ["A dependency upgrade shipped with the latest deploy changed behaviour; we pinned the old version."],
};

export const OTHER_TITLES = [
  "Upstream cloud provider outage degraded {service}",
  "Hardware failure in one availability zone affected {service}",
  "Traffic spike from a marketing campaign overloaded {feature}",
  "Third-party SMS provider delayed {feature}",
  "DDoS attack slowed {service}",
  "Certificate expiry at a partner broke {feature}",
];

export const OTHER_DESCRIPTIONS = [
  "An external dependency outside our control failed; we failed over where possible.",
  "Capacity was exhausted by an unusual traffic pattern; we scaled out.",
  "A provider incident affected part of our traffic until they recovered.",
];
