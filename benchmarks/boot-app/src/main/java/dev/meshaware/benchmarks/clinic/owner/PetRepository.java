package dev.meshaware.benchmarks.clinic.owner;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** Pets, looked up within their owner. */
public interface PetRepository extends JpaRepository<Pet, Integer> {
  Optional<Pet> findByIdAndOwnerId(Integer id, Integer ownerId);
}
