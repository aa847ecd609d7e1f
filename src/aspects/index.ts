export * from './aspect-mode';
export * from './cors-defaults';
export * from './metric-alarms';
export * from './manage-connections-grants';
export * from './authorization-policy';
export * from './api-key-enforcement';
export * from './api-service-defaults';
