export * from './service-user-pool';
