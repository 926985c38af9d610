export * from './gcp-app-project';
export * from './options/environment-options';
export * from './options/gcp-app-project-options';
export * from './options/service-options';
export * from './options/policy-exception';
export * from './platform/gcp-platform-project';
export * from './platform/gcp-platform-project-options';
