export * from './gcp-app-project';
export * from './options/environment-options';
export * from './options/gcp-app-project-options';
export * from './options/service-options';
export * from './options/policy-exception';
