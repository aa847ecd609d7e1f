export * from './api-service-project';
