export * from './api-service-project';
export * from './api-service-project-options';
