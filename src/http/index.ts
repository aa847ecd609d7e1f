export * from './service-http-api';
export * from './http-api-key-authorizer';
