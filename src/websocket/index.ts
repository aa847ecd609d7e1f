export * from './service-websocket-api';
export * from './api-gateway-cloudwatch-role';
