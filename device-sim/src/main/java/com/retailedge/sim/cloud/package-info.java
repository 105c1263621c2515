/**
 * The cloud side: a subscriber to the gateway's cloud topic and the verifier that checks every
 * CloudEvent against the contract and keeps the books on ids, sequence numbers and msgIds. The
 * verifier takes plain strings so it can be tested without a broker.
 */
package com.retailedge.sim.cloud;
