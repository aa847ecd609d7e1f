export * from './service-websocket-api';
export * from './websocket-token-authorizer';
export * from './websocket-api-key-authorizer';
export * from './api-gateway-cloudwatch-role';
