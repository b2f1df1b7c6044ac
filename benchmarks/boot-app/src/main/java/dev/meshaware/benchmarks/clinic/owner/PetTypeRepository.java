package dev.meshaware.benchmarks.clinic.owner;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** The kinds of pets, for forms. */
public interface PetTypeRepository extends JpaRepository<PetType, Integer> {
  List<PetType> findAllByOrderByName();
}
