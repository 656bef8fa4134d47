-- A registry may submit data and make elections for any TIN (the Submissions API: "Submit data
-- for any TIN without any prior certification"), so the app keeps no client list.
DROP TABLE registry_clients;
