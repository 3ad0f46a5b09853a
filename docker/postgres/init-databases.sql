-- One database per service (each service owns its tables; none reads another's). The official postgres image runs
-- this once, when it initialises an empty data volume. Keep the list in step with the launcher's ServiceModule.
CREATE DATABASE gateway;
CREATE DATABASE compute_vm;
CREATE DATABASE compute_container;
CREATE DATABASE app_service;
CREATE DATABASE serverless;
CREATE DATABASE billing;
CREATE DATABASE placement;
