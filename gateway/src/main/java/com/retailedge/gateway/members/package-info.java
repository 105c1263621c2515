/**
 * Member recognition: the member cache from the cloud's {@code members} command, with references kept only as
 * keyed hashes; recognitions matched against it per method threshold, grouped into visits, announced to the
 * cloud and to staff. A raw member reference is never stored, logged, relayed or sent.
 */
package com.retailedge.gateway.members;
