-- compute-container: the tables of its compute family arrive with that family's issue.
create table service_info (
    key   text primary key,
    value text not null
);
insert into service_info(key, value) values ('service', 'compute-container');
